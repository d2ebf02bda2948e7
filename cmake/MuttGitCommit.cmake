# MUTT_GIT_COMMIT: the short hash of the checked-out commit, with "-dirty"
# when tracked files differ from it, read at configure time. A build from a
# tarball (no git or no .git) gets "unknown". CMake configures again when
# HEAD or the current branch moves; edits alone do not, so "-dirty" shows
# the tree as it was at the last configure.

function(_mutt_git output)
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" ${ARGN}
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    OUTPUT_VARIABLE text
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE result
    ERROR_QUIET)
  if(NOT result EQUAL 0)
    set(text "")
  endif()
  set(${output} "${text}" PARENT_SCOPE)
endfunction()

# Adds the file that git keeps for REF (HEAD, refs/heads/NAME) to the files
# whose change re-runs the configure step.
function(_mutt_watch_git_ref ref)
  _mutt_git(path rev-parse --git-path "${ref}")
  if(path)
    get_filename_component(path "${path}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
    if(EXISTS "${path}")
      set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
    endif()
  endif()
endfunction()

set(MUTT_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  _mutt_git(_mutt_git_hash rev-parse --short=10 HEAD)
  if(_mutt_git_hash)
    set(MUTT_GIT_COMMIT "${_mutt_git_hash}")
    _mutt_git(_mutt_git_changes status --porcelain --untracked-files=no)
    if(_mutt_git_changes)
      string(APPEND MUTT_GIT_COMMIT "-dirty")
    endif()

    _mutt_watch_git_ref(HEAD)
    _mutt_git(_mutt_branch_ref symbolic-ref -q HEAD)
    if(_mutt_branch_ref)
      _mutt_watch_git_ref("${_mutt_branch_ref}")
    endif()
  endif()
endif()

# Only the files that include MuttBuildInfo.h rebuild when the commit changes.
configure_file("${CMAKE_CURRENT_LIST_DIR}/MuttBuildInfo.h.in" "${PROJECT_BINARY_DIR}/generated/MuttBuildInfo.h" @ONLY)
