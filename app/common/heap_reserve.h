#pragma once
// Heap memory faulted in ahead of need, where the system allows it (Linux, tcmalloc).
//
// Recording every flow makes the heap grow all the time (~1.2 KB per small flow: its encoding,
// its body, its entry), and every fresh page costs a fault. On a virtual machine whose host
// backs guest memory on first touch such faults are expensive, and a worker that takes one
// stalls every connection it serves. tcmalloc asks the system for memory in steps of 1 MiB or
// more; this hands it 2 MiB regions that a thread at idle priority ("spyglass-heap") has
// already populated, using CPU time nothing else wants. When no CPU is idle the reserve runs
// dry and regions are mapped on demand, as without it.
//
// The regions are advised MADV_NOHUGEPAGE. Transparent huge pages were tried (sessions 9 to
// 14 in docs/benchmarks.md): on the benchmark VM a fresh 2 MiB huge page costs ~8 ns per byte
// against ~0.8 for 4 KiB pages, because a huge page needs a whole free 2 MiB block, which is
// exactly what the guest has handed back to the host, while 4 KiB pages mostly reuse memory
// the host still backs. SPYGLASS_NO_HEAP_RESERVE=1 in the environment turns all of this off.

namespace spyglass {

// Installs the reserve as tcmalloc's system allocator. Call first thing in main(), before any
// thread starts. A no-op in builds without tcmalloc and on other systems; returns whether it
// was installed.
bool useHeapReserve();

} // namespace spyglass
