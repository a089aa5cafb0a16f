# Writes one man page from its template (cmake -P, called by resources/CMakeLists.txt):
#   -DINPUT=page.1.in -DOUTPUT=page.1.gz -DGZIP=/bin/gzip -DPROJECT_VERSION=x.y.z
#   -DSPYGLASS_RELEASE_DATE=YYYY-MM-DD [-DDUMP=/path/to/spyglass-dump]
# With DUMP, @SPYGLASS_MAN_OPTIONS@ becomes the binary's own `--options` list in troff, so the
# page cannot drift from the option registry. The page is compressed with `gzip -9n` (no name
# or time stamp in the header: the package is reproducible, lintian wants it so).
set(SPYGLASS_MAN_OPTIONS "")
if(DUMP)
    execute_process(COMMAND ${DUMP} --options OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR listing STREQUAL "")
        message(FATAL_ERROR "${DUMP} --options failed (${rc})")
    endif()
    # troff: a backslash is \e, a line may not start with . or ', a minus sign is \-.
    string(REPLACE "\\" "\\e" listing "${listing}")
    string(REPLACE ";" "\\;" listing "${listing}") # keep CMake from splitting the lines
    string(REPLACE "\n" ";" lines "${listing}")
    foreach(line IN LISTS lines)
        if(line STREQUAL "")
            continue()
        endif()
        if(line MATCHES "^    (.*)$") # the help text under an option
            set(text "${CMAKE_MATCH_1}")
            if(text MATCHES "^[.']")
                set(text "\\&${text}")
            endif()
            string(APPEND SPYGLASS_MAN_OPTIONS "${text}\n")
        elseif(line MATCHES "^([^ ]+) \\((.*)\\)$") # name (type, default: value)
            set(name "${CMAKE_MATCH_1}")
            set(detail "${CMAKE_MATCH_2}")
            string(REPLACE "-" "\\-" name "${name}")
            string(REPLACE "-" "\\-" detail "${detail}")
            string(APPEND SPYGLASS_MAN_OPTIONS ".TP\n.B ${name}\n(${detail})\n.br\n")
        else()
            message(FATAL_ERROR "unexpected line in --options: ${line}")
        endif()
    endforeach()
    string(REPLACE "\\;" ";" SPYGLASS_MAN_OPTIONS "${SPYGLASS_MAN_OPTIONS}")
endif()

get_filename_component(plain "${OUTPUT}" NAME_WLE)
get_filename_component(dir "${OUTPUT}" DIRECTORY)
configure_file(${INPUT} ${dir}/${plain} @ONLY)
execute_process(COMMAND ${GZIP} -9nf ${dir}/${plain} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${dir}/${plain} failed (${rc})")
endif()
