# Settings every MUTT Console target shares, carried by the INTERFACE target
# mutt_common: the C++ standard, the warning set and Qt strictness macros.

set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
set(CMAKE_AUTOMOC ON)

find_program(MUTT_CCACHE ccache)
if(MUTT_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${MUTT_CCACHE}")
endif()

add_library(mutt_common INTERFACE)
target_compile_features(mutt_common INTERFACE cxx_std_20)

target_compile_definitions(mutt_common INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_FOREACH
  QT_NO_URL_CAST_FROM_STRING
  QT_USE_QSTRINGBUILDER
  QT_STRICT_ITERATORS
  QT_DISABLE_DEPRECATED_BEFORE=0x060400
  SPDLOG_FMT_EXTERNAL
  RAPIDJSON_HAS_STDSTRING=1
  MUTT_VERSION="${PROJECT_VERSION}")

target_compile_options(mutt_common INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough)

option(MUTT_WERROR "Treat compiler warnings as errors" OFF)
if(MUTT_WERROR)
  target_compile_options(mutt_common INTERFACE -Werror)
endif()

option(MUTT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(MUTT_SANITIZE)
  target_compile_options(mutt_common INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(mutt_common INTERFACE -fsanitize=address,undefined)
endif()

# Executables go to one folder so tests find muttd and the test servers.
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
