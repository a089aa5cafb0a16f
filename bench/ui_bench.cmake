# Window benchmarks (issue 6): built with -DSPYGLASS_BENCH=ON, included from ui/CMakeLists.txt.
# ui_million loads one million synthetic flows into the real MainWindow (offscreen) and prints
# load, first paint, memory, filter and sort figures. Run: build/ui/ui_million [flows]
add_executable(ui_million ${PROJECT_SOURCE_DIR}/bench/ui_million.cpp)
target_include_directories(ui_million PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/ui)
target_link_libraries(ui_million PRIVATE spyglass_ui)
target_compile_options(ui_million PRIVATE ${SPYGLASS_WARNINGS})
spyglass_use_fast_malloc(ui_million)

# filter_bench: Filter::matches over one million flows in memory and stored (issue 5).
# Run: build/ui/filter_bench [flows]
add_executable(filter_bench ${PROJECT_SOURCE_DIR}/bench/filter_bench.cpp)
target_include_directories(filter_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/ui)
target_link_libraries(filter_bench PRIVATE spyglass_engine)
target_compile_options(filter_bench PRIVATE ${SPYGLASS_WARNINGS})
spyglass_use_fast_malloc(filter_bench)

# ui_feed: live traffic at RATE flows/s into the window through FlowHub from a worker thread,
# with the event loop's lateness (a 1 ms timer) as percentiles. Run: build/ui/ui_feed [RATE [S]]
add_executable(ui_feed ${PROJECT_SOURCE_DIR}/bench/ui_feed.cpp)
target_include_directories(ui_feed PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/ui)
target_link_libraries(ui_feed PRIVATE spyglass_ui)
target_compile_options(ui_feed PRIVATE ${SPYGLASS_WARNINGS})
spyglass_use_fast_malloc(ui_feed)
