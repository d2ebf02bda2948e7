# Fails when a target that must stay headless lists a GUI library.
# Input: LIBRARIES_FILE, lines "<target> <PROPERTY>=<libraries>".
file(STRINGS "${LIBRARIES_FILE}" lines)
list(LENGTH lines count)
if(count EQUAL 0)
  message(FATAL_ERROR "${LIBRARIES_FILE} is empty: the generator expressions produced nothing to check")
endif()

file(READ "${LIBRARIES_FILE}" all)
if(NOT all MATCHES "mutt_engine LINK_LIBRARIES=[^\n]*Qt6::Core")
  message(FATAL_ERROR "mutt_engine's link list does not name Qt6::Core; the check is reading the wrong data:\n${all}")
endif()

set(found "")
foreach(line IN LISTS lines)
  if(line MATCHES "(Widgets|Charts|OpenGLWidgets|Qt6::Gui|Qt6Gui|Keychain)")
    list(APPEND found "${line}")
  endif()
endforeach()

if(found)
  string(REPLACE ";" "\n  " report "${found}")
  message(FATAL_ERROR "A headless target links a GUI library:\n  ${report}\n"
                      "Move the GUI dependency to mutt_ui or the console executable.")
endif()
message(STATUS "No Widgets, Charts, Gui or Keychain in the headless link lists")
