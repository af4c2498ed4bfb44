# DMASIM_SANITIZE=address,undefined: instrument everything built after this point, stop at the
# first report, and give the arena one malloc per object so ASan sees each (SIM_DEBUG_ARENA).
if(DMASIM_SANITIZE)
  add_compile_options(-fsanitize=${DMASIM_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${DMASIM_SANITIZE})
  add_compile_definitions(SIM_DEBUG_ARENA SIM_DEBUG)
endif()
