# Script mode: run `PROG ARGS IN`, require exit 0, compare stdout with EXPECTED byte for byte.
# On a mismatch, write the actual output to ACTUAL (in the build tree) and show diff -u;
# tools/update-golden.sh copies it back after review.
execute_process(COMMAND ${PROG} ${ARGS} ${IN}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(READ ${EXPECTED} want)
if(NOT rc EQUAL 0 OR NOT out STREQUAL want)
  get_filename_component(dir ${ACTUAL} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  file(WRITE ${ACTUAL} "${out}")
  execute_process(COMMAND diff -u ${EXPECTED} ${ACTUAL} OUTPUT_VARIABLE d)
  message(FATAL_ERROR "${PROG} ${ARGS} ${IN}: exit ${rc}\n${err}\n${d}")
endif()
