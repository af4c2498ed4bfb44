# One CTest test per bad-input case: tests/invalid/<name>.yaml must make `dmasim show` exit 2
# (or 0 for a .yaml whose .err holds only warnings), print exactly <name>.err on stderr and
# nothing on stdout.
file(GLOB invalid_cases CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/invalid/*.yaml)
foreach(case IN LISTS invalid_cases)
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME invalid.${name}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
           COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:dmasim> -DIN=tests/invalid/${name}.yaml
                   -DEXPECTED=${PROJECT_SOURCE_DIR}/tests/invalid/${name}.err
                   -DACTUAL=${PROJECT_BINARY_DIR}/invalid/${name}.err
                   -P ${PROJECT_SOURCE_DIR}/cmake/RunInvalid.cmake)
endforeach()
