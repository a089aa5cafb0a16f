# Window benchmarks (issue 6): built with -DSPYGLASS_BENCH=ON, included from ui/CMakeLists.txt.
# ui_million loads one million synthetic flows into the real MainWindow (offscreen) and prints
# load, first paint, memory, filter and sort figures. Run: build/ui/ui_million [flows]
add_executable(ui_million ${PROJECT_SOURCE_DIR}/bench/ui_million.cpp)
target_include_directories(ui_million PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/ui)
target_link_libraries(ui_million PRIVATE spyglass_ui)
target_compile_options(ui_million PRIVATE ${SPYGLASS_WARNINGS})
spyglass_use_fast_malloc(ui_million)
