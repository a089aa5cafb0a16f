#include "heap_reserve.h"

#if defined(SPYGLASS_TCMALLOC) && defined(__linux__)
#include <gperftools/malloc_extension.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#endif

namespace spyglass {

#if defined(SPYGLASS_TCMALLOC) && defined(__linux__)

namespace {

constexpr size_t kRegion = size_t(2) << 20;
constexpr size_t kPageSize = 4096;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 // Linux 5.14; older headers lack it
#endif

// `size` bytes (a multiple of 2 MiB) at a 2 MiB boundary (tcmalloc asks for alignments up to
// its own page size), advised to stay in 4 KiB pages: map 2 MiB more and unmap the ends. Null
// when the system has no memory to map.
void* mapRegion(size_t size)
{
    const size_t span = size + kRegion;
    void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return nullptr;
    const auto base = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t start = (base + kRegion - 1) & ~std::uintptr_t(kRegion - 1);
    const size_t head = start - base;
    const size_t tail = span - head - size;
    if (head)
        munmap(raw, head);
    if (tail)
        munmap(reinterpret_cast<void*>(start + size), tail);
    // Where THP is "always", an aligned region would otherwise become a huge page (see the
    // header for why that is slower where it matters).
    madvise(reinterpret_cast<void*>(start), size, MADV_NOHUGEPAGE);
    return reinterpret_cast<void*>(start);
}

// tcmalloc calls Alloc with its page-heap lock held, so Alloc must not allocate from the heap:
// it uses mmap, a mutex and a condition variable only.
class ReserveAllocator final : public SysAllocator
{
public:
    explicit ReserveAllocator(SysAllocator* fallback) : m_fallback(fallback)
    {
        std::thread(&ReserveAllocator::prefault, this).detach();
    }

    void* Alloc(size_t size, size_t* actualSize, size_t alignment) override
    {
        if (alignment > kRegion || size > SIZE_MAX - 2 * kRegion)
            return m_fallback ? m_fallback->Alloc(size, actualSize, alignment) : nullptr;
        const size_t rounded = (size + kRegion - 1) & ~(kRegion - 1);
        void* p = nullptr;
        if (rounded == kRegion) {
            std::lock_guard lock(m_mutex);
            if (m_ready > 0)
                p = m_regions[--m_ready];
            m_wanted.notify_one();
        }
        if (!p)
            p = mapRegion(rounded);
        if (!p)
            return m_fallback ? m_fallback->Alloc(size, actualSize, alignment) : nullptr;
        if (actualSize)
            *actualSize = rounded;
        return p;
    }

private:
    // Runs for the life of the process: refills the reserve whenever Alloc took from it. At
    // idle priority: faulting pages in ahead of need is worth doing only with a CPU nothing
    // else wants; when none is idle, the reserve runs out and Alloc maps on demand.
    void prefault()
    {
        pthread_setname_np(pthread_self(), "spyglass-heap");
        sched_param idle{};
        sched_setscheduler(0, SCHED_IDLE, &idle);
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_wanted.wait(lock, [this] { return m_ready < m_regions.size(); });
            }
            void* region = mapRegion(kRegion);
            if (!region)
                return; // out of memory: Alloc maps on demand (and fails over) from now on
            // One system call for the 512 pages where the kernel has it, a fault each if not.
            if (madvise(region, kRegion, MADV_POPULATE_WRITE) != 0) {
                auto* bytes = static_cast<volatile char*>(region);
                for (size_t i = 0; i < kRegion; i += kPageSize)
                    bytes[i] = 0;
            }
            std::lock_guard lock(m_mutex);
            m_regions[m_ready++] = region;
        }
    }

    SysAllocator* m_fallback;
    std::mutex m_mutex;
    std::condition_variable m_wanted;
    std::array<void*, 2> m_regions{}; // faulted in, ready to hand out
    size_t m_ready = 0;
};

} // namespace

bool useHeapReserve()
{
    if (std::getenv("SPYGLASS_NO_HEAP_RESERVE"))
        return false;
    MallocExtension* extension = MallocExtension::instance();
    // Lives as long as the process: tcmalloc keeps calling it until the very end.
    static ReserveAllocator* allocator = new ReserveAllocator(extension->GetSystemAllocator());
    extension->SetSystemAllocator(allocator);
    return true;
}

#else

bool useHeapReserve()
{
    return false;
}

#endif

} // namespace spyglass
