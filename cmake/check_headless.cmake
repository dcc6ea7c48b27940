# Fails the build when a file under sim/ includes a window-system, GL, ImGui or socket header.
# The socket code lives in live/ (its own library, mailscope_live) and the window in gui/, never
# in the simulation library.
file(GLOB_RECURSE _files ${DIR}/*.hpp ${DIR}/*.cpp ${DIR}/*.h)
foreach(_f IN LISTS _files)
  file(STRINGS ${_f} _bad REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](imgui|GLFW/|glad/|GL/|asio|sys/socket|netinet/)")
  if(_bad)
    message(FATAL_ERROR "${_f} includes a GUI/GL/socket header (${_bad}); sim/ must stay headless")
  endif()
endforeach()
