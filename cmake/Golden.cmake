# One CTest test per scenario and format: `dmasim show` of scenarios/<area>/<name>.yaml must
# print exactly tests/golden/<area>/<name>.txt (and .json for --json) (STYLE.md G15).
file(GLOB_RECURSE golden_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/golden/*.txt
     ${PROJECT_SOURCE_DIR}/tests/golden/*.json)
foreach(expected IN LISTS golden_files)
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/tests/golden ${expected})
  string(REGEX REPLACE "\\.(txt|json)$" "" stem ${rel})
  string(REGEX MATCH "(txt|json)$" fmt ${rel})
  string(REPLACE "/" "." test_name ${stem})
  if(fmt STREQUAL "json")
    set(args "show;--json")
  else()
    set(args "show")
  endif()
  add_test(NAME golden.${test_name}.${fmt}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
           COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:dmasim> "-DARGS=${args}"
                   -DIN=scenarios/${stem}.yaml -DEXPECTED=${expected}
                   -DACTUAL=${PROJECT_BINARY_DIR}/golden/${rel}
                   -P ${PROJECT_SOURCE_DIR}/cmake/RunGolden.cmake)
endforeach()
