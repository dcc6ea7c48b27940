# Writes mailscope_version.h with the project version and, when the sources are a git
# checkout, `git describe`. Run at every build (not only at configure time) so that --version
# names the commit that was built; the file is rewritten only when its text changes, so an
# unchanged checkout rebuilds nothing.
# In: VERSION, SOURCE_DIR, OUT.
set(_describe "")
find_program(_git git)
if(_git AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND ${_git} -C ${SOURCE_DIR} describe --always --dirty --tags
                  OUTPUT_VARIABLE _describe OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    set(_describe "")
  endif()
endif()
set(_text "#pragma once\n#define MAILSCOPE_VERSION \"${VERSION}\"\n#define MAILSCOPE_GIT_DESCRIBE \"${_describe}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" _old)
endif()
if(NOT "${_old}" STREQUAL "${_text}")
  file(WRITE "${OUT}" "${_text}")
endif()
