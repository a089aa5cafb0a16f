# llhttp is not packaged as a library on Debian: node-llhttp ships its generated C sources.
set(LLHTTP_SOURCE_DIR /usr/share/llhttp CACHE PATH "Directory holding llhttp.c, api.c, http.c")
set(LLHTTP_INCLUDE_DIR /usr/share/include/llhttp CACHE PATH "Directory holding llhttp.h")
foreach(f llhttp.c api.c http.c)
    if(NOT EXISTS ${LLHTTP_SOURCE_DIR}/${f})
        message(FATAL_ERROR "llhttp source ${LLHTTP_SOURCE_DIR}/${f} is missing: install the "
                            "Debian package node-llhttp, or set LLHTTP_SOURCE_DIR/LLHTTP_INCLUDE_DIR")
    endif()
endforeach()
add_library(llhttp STATIC ${LLHTTP_SOURCE_DIR}/llhttp.c ${LLHTTP_SOURCE_DIR}/api.c
                          ${LLHTTP_SOURCE_DIR}/http.c)
set_target_properties(llhttp PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF
                                        POSITION_INDEPENDENT_CODE ON)
target_include_directories(llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
