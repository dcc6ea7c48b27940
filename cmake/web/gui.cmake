# The GUI as a web page: the same gui/ sources, Dear ImGui 1.86 from Debian's source package
# with its GLFW and OpenGL3 back-ends, emscripten's GLFW 3.2 on WebGL2. The page, its JS, the
# wasm and one data file (lessons, fonts, glossary) are written to ${SITE_DIR}.
set(IMGUI_CORE ${IMGUI_SRC}/imgui.cpp ${IMGUI_SRC}/imgui_draw.cpp ${IMGUI_SRC}/imgui_tables.cpp
    ${IMGUI_SRC}/imgui_widgets.cpp ${IMGUI_SRC}/imgui_demo.cpp)
foreach(_f IN LISTS IMGUI_CORE)
  if(NOT EXISTS ${_f})
    message(FATAL_ERROR "Dear ImGui source ${_f} missing: IMGUI_SRC must be the unpacked "
                        "`apt-get source imgui` (scripts/web.sh does that)")
  endif()
endforeach()
# The back-ends' headers sit next to the sources in backends/, as the GUI includes them.
set(IMGUI_WEB ${CMAKE_BINARY_DIR}/imgui)
file(MAKE_DIRECTORY ${IMGUI_WEB}/backends)
foreach(_b imgui_impl_glfw imgui_impl_opengl3)
  file(COPY ${IMGUI_BACKENDS}/${_b}.cpp DESTINATION ${IMGUI_WEB}/backends)
  file(COPY ${IMGUI_SRC}/backends/${_b}.h DESTINATION ${IMGUI_WEB}/backends)
endforeach()
file(COPY ${IMGUI_SRC}/backends/imgui_impl_opengl3_loader.h DESTINATION ${IMGUI_WEB}/backends)
add_library(web_imgui STATIC ${IMGUI_CORE} ${IMGUI_WEB}/backends/imgui_impl_glfw.cpp
            ${IMGUI_WEB}/backends/imgui_impl_opengl3.cpp)
target_include_directories(web_imgui PUBLIC ${IMGUI_SRC} ${IMGUI_WEB})
# Third-party code: its warnings are not ours to fix.
target_compile_options(web_imgui PRIVATE -w)

set(GUI ${MS_ROOT}/gui)
file(GLOB_RECURSE WEB_GUI_SOURCES CONFIGURE_DEPENDS ${GUI}/*.cpp)
# gui/platform/ holds each platform's seams, taken one by one below.
list(FILTER WEB_GUI_SOURCES EXCLUDE REGEX "/platform/")
# The Live panel is replaced by the sentence saying live mode needs the desktop app.
list(FILTER WEB_GUI_SOURCES EXCLUDE REGEX "/panels/live\\.cpp$")
add_executable(mailscope ${WEB_GUI_SOURCES} ${WEB_PLATFORM}/web_glue.cpp
               ${WEB_PLATFORM}/a11y_twin_web.cpp
               ${WEB_PLATFORM}/stb_image_write.c ${WEB_PLATFORM}/live_panel.cpp)
target_include_directories(mailscope PRIVATE ${GUI} ${WEB_PLATFORM}/gl)
target_link_libraries(mailscope PRIVATE mailscope_sim mailscope_live web_imgui)
# Files keep their desktop paths inside the page's virtual file system (the data file), so the
# GUI loads lessons and fonts through the same code as on Debian.
set(WEB_LESSONS /lessons)
target_compile_definitions(mailscope PRIVATE MAILSCOPE_LESSONS_DIR="${WEB_LESSONS}"
                           MAILSCOPE_BUILTIN_ASSETS_DIR="/assets")

set(WEB_FONTS /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
    /usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf)
# SHELL: keeps CMake from folding the repeated --preload-file flags into one.
set(_data "SHELL:--preload-file ${MS_ROOT}/lessons@${WEB_LESSONS}" "SHELL:--exclude-file *.md")
foreach(_f IN LISTS WEB_FONTS)
  list(APPEND _data "SHELL:--preload-file ${_f}@${_f}")
endforeach()
if(EXISTS ${MS_ROOT}/assets/glossary.json)
  list(APPEND _data "SHELL:--preload-file ${MS_ROOT}/assets/glossary.json@/assets/glossary.json")
endif()
# The mail app profiles, which lessons naming a preset need.
list(APPEND _data "SHELL:--preload-file ${MS_ROOT}/assets/profiles.json@/assets/profiles.json")
set(_shell ${MS_ROOT}/assets/web/index.html)
# The data file is written at link time: relink when a lesson or the page changes.
file(GLOB _lesson_files CONFIGURE_DEPENDS ${MS_ROOT}/lessons/*.json)
list(APPEND _lesson_files ${MS_ROOT}/assets/profiles.json)
target_link_options(mailscope PRIVATE
  -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sFULL_ES3=1
  -sALLOW_MEMORY_GROWTH=1 -sMINIFY_HTML=0 -sENVIRONMENT=web -sFORCE_FILESYSTEM=1
  -sEXPORTED_RUNTIME_METHODS=FS,ccall,addRunDependency,removeRunDependency -lidbfs.js
  -sEXPORTED_FUNCTIONS=_main,_ms_web_view_query,_ms_web_save,_ms_web_widget_rect,_ms_web_link_copied,_ms_web_text_copied,_ms_web_frame_ms,_ms_a11y_action
  "SHELL:--shell-file ${_shell}" ${_data})
set_target_properties(mailscope PROPERTIES OUTPUT_NAME index SUFFIX .html
                      RUNTIME_OUTPUT_DIRECTORY ${SITE_DIR}
                      LINK_DEPENDS "${_shell};${_lesson_files}")
# The page's own script and style, next to index.html.
add_custom_command(TARGET mailscope POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${MS_ROOT}/assets/web/app.js
          ${MS_ROOT}/assets/web/app.css ${MS_ROOT}/assets/web/a11y.js ${SITE_DIR}/)
