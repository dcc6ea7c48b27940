# `cmake --install` and the Debian package (CPack). What goes where follows the FHS and the
# freedesktop specifications: programs in bin/, data in share/mailscope/, the desktop entry in
# share/applications/, icons in the hicolor theme, metainfo in share/metainfo/, man pages,
# bash completion in share/bash-completion/completions/.
install(TARGETS mailscope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(MAILSCOPE_GUI)
  install(TARGETS mailscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
set(_share ${CMAKE_INSTALL_DATADIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lessons/ DESTINATION ${_share}/mailscope/lessons
        FILES_MATCHING PATTERN "*.json")
# What the programs load from assets/ at run time (the glossary, the web page template...);
# packaging files themselves are installed below, where desktops look for them.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION ${_share}/mailscope/assets
        FILES_MATCHING PATTERN "*.json"
        PATTERN "completion" EXCLUDE PATTERN "icons" EXCLUDE PATTERN "debian" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/assets/mailscope.desktop DESTINATION ${_share}/applications)
install(FILES ${MAILSCOPE_METAINFO} DESTINATION ${_share}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/assets/icons/mailscope.svg
        DESTINATION ${_share}/icons/hicolor/scalable/apps)
if(MAILSCOPE_HAVE_PNG_ICONS)
  foreach(_s IN LISTS MAILSCOPE_ICON_SIZES)
    install(FILES ${MAILSCOPE_BUILD_ASSETS_DIR}/icons/hicolor/${_s}x${_s}/apps/mailscope.png
            DESTINATION ${_share}/icons/hicolor/${_s}x${_s}/apps)
  endforeach()
  # The window icon, where the GUI looks for it in an installed tree.
  install(FILES ${MAILSCOPE_BUILD_ASSETS_DIR}/icons/hicolor/256x256/apps/mailscope.png
          DESTINATION ${_share}/mailscope/assets/icons/hicolor/256x256/apps)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/assets/completion/mailscope-cli
        DESTINATION ${_share}/bash-completion/completions)

# Man pages made from the programs' own --help and --version (help2man), so they cannot
# drift from the code; compressed as Debian policy asks.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(_mans "")
  set(_progs mailscope-cli)
  set(_mailscope-cli_name "run Mailscope's POP3 and IMAP lessons without a window")
  set(_mailscope_name "see, side by side, why POP3 and IMAP behave differently")
  if(MAILSCOPE_GUI)
    list(APPEND _progs mailscope)
  endif()
  foreach(_p IN LISTS _progs)
    set(_man ${CMAKE_BINARY_DIR}/man/${_p}.1)
    add_custom_command(
      OUTPUT ${_man}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
      # No display: the GUI answers --help and --version before it opens any window.
      COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
              ${HELP2MAN} --no-info --no-discard-stderr --section=1 --name=${_${_p}_name}
              --output=${_man} $<TARGET_FILE:${_p}>
      COMMAND gzip -9nf ${_man}
      DEPENDS ${_p}
      COMMENT "Writing the ${_p}(1) man page with help2man"
      VERBATIM)
    list(APPEND _mans ${_man}.gz)
  endforeach()
  add_custom_target(mailscope_man ALL DEPENDS ${_mans})
  install(FILES ${_mans} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man pages (Debian: help2man)")
endif()

# Debian package: scripts/package.sh. Depends are computed from the binaries (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mailscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Mailscope developers <mailscope@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see, side by side, why POP3 and IMAP behave differently")
# The long description: lines under 80 characters (Debian policy 5.6.13).
set(CPACK_PACKAGE_DESCRIPTION
    "Mailscope is an educational simulator and protocol visualizer. A simulated\n"
    "mail server and simulated devices speak real POP3, IMAP and SMTP to each\n"
    "other; every command on the wire, every copy of every message and every\n"
    "device's state is animated, so that each row of the POP3-versus-IMAP\n"
    "comparison (storage, synchronisation, sent and deleted mail, disaster\n"
    "recovery, offline access, duplicates) can be seen. For classrooms,\n"
    "self-study and support staff. mailscope-cli runs the same lessons\n"
    "without a window.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY mailscope)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Debian policy: copyright and changelog in /usr/share/doc/mailscope.
install(FILES ${PROJECT_SOURCE_DIR}/assets/debian/copyright DESTINATION ${_share}/doc/mailscope)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/changelog.gz
  COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/assets/debian/changelog > ${CMAKE_BINARY_DIR}/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/assets/debian/changelog)
add_custom_target(mailscope_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/changelog.gz)
install(FILES ${CMAKE_BINARY_DIR}/changelog.gz DESTINATION ${_share}/doc/mailscope)
include(CPack)
