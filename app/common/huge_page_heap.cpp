#include "huge_page_heap.h"

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

constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kPageSize = 4096;

// `size` bytes (a multiple of 2 MiB) at a 2 MiB boundary, advised as huge pages: map 2 MiB
// more and unmap the ends. Null when the system has no memory to map.
void* mapAligned(size_t size)
{
    const size_t span = size + kHugePage;
    void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return nullptr;
    const auto base = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t start = (base + kHugePage - 1) & ~std::uintptr_t(kHugePage - 1);
    const size_t head = start - base;
    const size_t tail = span - head - size;
    if (head)
        munmap(raw, head);
    if (tail)
        munmap(reinterpret_cast<void*>(start + size), tail);
    // Advice only: without THP (or with it set to "never") these stay 4 KiB pages.
    madvise(reinterpret_cast<void*>(start), size, MADV_HUGEPAGE);
    return reinterpret_cast<void*>(start);
}

// tcmalloc calls Alloc with its page-heap lock held, so Alloc must not allocate from the heap:
// it uses mmap, a mutex and a condition variable only. Faulting a fresh 2 MiB page in means
// zeroing it, which takes milliseconds on a virtual machine whose host backs guest memory on
// first touch; so a thread of its own keeps a few regions faulted in ahead of need, and a
// worker that needs memory takes one instead of stalling every connection it serves.
class HugePageAllocator final : public SysAllocator
{
public:
    explicit HugePageAllocator(SysAllocator* fallback) : m_fallback(fallback)
    {
        std::thread(&HugePageAllocator::prefault, this).detach();
    }

    void* Alloc(size_t size, size_t* actualSize, size_t alignment) override
    {
        if (alignment > kHugePage || size > SIZE_MAX - 2 * kHugePage)
            return m_fallback ? m_fallback->Alloc(size, actualSize, alignment) : nullptr;
        const size_t rounded = (size + kHugePage - 1) & ~(kHugePage - 1);
        void* p = nullptr;
        if (rounded == kHugePage) {
            std::lock_guard lock(m_mutex);
            if (m_ready > 0)
                p = m_regions[--m_ready];
            m_wanted.notify_one();
        }
        if (!p)
            p = mapAligned(rounded);
        if (!p)
            return m_fallback ? m_fallback->Alloc(size, actualSize, alignment) : nullptr;
        if (actualSize)
            *actualSize = rounded;
        return p;
    }

private:
    // Runs for the life of the process: refills the reserve whenever Alloc took from it. At
    // idle priority: zeroing pages ahead of need is worth doing only with a CPU nothing else
    // wants; when none is idle, the reserve runs out and Alloc maps on demand, as without it.
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
            auto* region = static_cast<volatile char*>(mapAligned(kHugePage));
            if (!region)
                return; // out of memory: Alloc maps on demand (and fails over) from now on
            for (size_t i = 0; i < kHugePage; i += kPageSize)
                region[i] = 0;
            std::lock_guard lock(m_mutex);
            m_regions[m_ready++] = const_cast<char*>(region);
        }
    }

    SysAllocator* m_fallback;
    std::mutex m_mutex;
    std::condition_variable m_wanted;
    std::array<void*, 2> m_regions{}; // faulted in, ready to hand out
    size_t m_ready = 0;
};

} // namespace

bool useHugePageHeap()
{
    if (std::getenv("SPYGLASS_NO_HUGE_PAGES"))
        return false;
    MallocExtension* extension = MallocExtension::instance();
    // Lives as long as the process: tcmalloc keeps calling it until the very end.
    static HugePageAllocator* allocator = new HugePageAllocator(extension->GetSystemAllocator());
    extension->SetSystemAllocator(allocator);
    return true;
}

#else

bool useHugePageHeap()
{
    return false;
}

#endif

} // namespace spyglass
