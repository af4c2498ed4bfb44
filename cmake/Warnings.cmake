# dmasim_warnings(target): the warning set of STYLE.md D.1, each flag probed on this compiler.
include(CheckCCompilerFlag)

set(_dmasim_warning_candidates
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wold-style-definition -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef -Wvla
  -Wimplicit-fallthrough -Wconversion -Wsign-conversion -Werror=implicit-function-declaration
  # gcc only
  -Wlogical-op -Wduplicated-cond -Wduplicated-branches
  # clang only
  -Wcomma -Wassign-enum -Wconditional-uninitialized -Wmissing-variable-declarations)

set(DMASIM_WARNING_FLAGS "")
foreach(flag IN LISTS _dmasim_warning_candidates)
  string(MAKE_C_IDENTIFIER "HAVE_WARN${flag}" var)
  check_c_compiler_flag(${flag} ${var})
  if(${var})
    list(APPEND DMASIM_WARNING_FLAGS ${flag})
  endif()
endforeach()
if(DMASIM_WERROR)
  list(APPEND DMASIM_WARNING_FLAGS -Werror)
endif()

function(dmasim_warnings target)
  target_compile_options(${target} PRIVATE ${DMASIM_WARNING_FLAGS})
endfunction()
