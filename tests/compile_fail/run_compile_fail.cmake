# Runs one compile-fail case: the control build must compile, the misuse build must fail with a
# diagnostic matching the "// expect: REGEX" line at the top of the source.
file(STRINGS "${SOURCE}" expect_line REGEX "^// expect: " LIMIT_COUNT 1)
if(NOT expect_line)
    message(FATAL_ERROR "${SOURCE}: missing '// expect: REGEX' line")
endif()
string(REGEX REPLACE "^// expect: " "" expected "${expect_line}")

set(common -std=c++20 -fsyntax-only -I${INCLUDE_DIR} ${SOURCE})
execute_process(COMMAND ${COMPILER} -DTWOFACTOR_COMPILE_FAIL_CONTROL ${common}
                RESULT_VARIABLE control_result ERROR_VARIABLE control_output)
if(NOT control_result EQUAL 0)
    message(FATAL_ERROR "control build of ${SOURCE} does not compile:\n${control_output}")
endif()

# "// misuse flags: ..." (optional): added to the misuse build only, after the common ones.
file(STRINGS "${SOURCE}" flags_line REGEX "^// misuse flags: " LIMIT_COUNT 1)
string(REGEX REPLACE "^// misuse flags: " "" misuse_flags "${flags_line}")
separate_arguments(misuse_flags UNIX_COMMAND "${misuse_flags}")
execute_process(COMMAND ${COMPILER} ${common} ${misuse_flags}
                RESULT_VARIABLE misuse_result ERROR_VARIABLE misuse_output)
if(misuse_result EQUAL 0)
    message(FATAL_ERROR "misuse in ${SOURCE} compiled, but must not")
endif()
if(NOT misuse_output MATCHES "${expected}")
    message(FATAL_ERROR "misuse in ${SOURCE} failed to compile, but not with '${expected}':\n${misuse_output}")
endif()
message(STATUS "misuse rejected as expected ('${expected}')")
