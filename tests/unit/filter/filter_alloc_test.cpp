// Filter::matches makes no heap allocation for the operators that test flags and numbers, nor
// for regex arguments that are plain words (searched in the flow's bytes): the filter bar runs
// over a million flows. malloc is interposed (glibc) to count, so Qt's containers are seen too.

#include "filter/filter.h"
#include "filter_flows.h"

#include <QtTest>
#include <atomic>

// Interposing malloc needs glibc's __libc_* entry points, and must not fight a sanitizer's
// own malloc (the fuzz build instruments everything).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPYGLASS_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SPYGLASS_SANITIZED 1
#endif
#if defined(__GLIBC__) && !defined(SPYGLASS_SANITIZED)
#define SPYGLASS_COUNT_MALLOC 1
#endif

#ifdef SPYGLASS_COUNT_MALLOC
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
}

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
} // namespace

extern "C" {
void* malloc(size_t n)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
void* calloc(size_t n, size_t size)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
void free(void* p)
{
    __libc_free(p);
}
}
#endif

using namespace spyglass;
using namespace spyglass::filter;

class FilterAllocTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countingWorks()
    {
#ifndef SPYGLASS_COUNT_MALLOC
        QSKIP("counts allocations through glibc's malloc, without a sanitizer");
#else
        g_allocations = 0;
        g_counting = true;
        QByteArray grown(1000, 'x');
        g_counting = false;
        QVERIFY(g_allocations.load() >= 1);
        // A regex that is not a plain word goes through PCRE2: that does allocate.
        const auto f = std::get<Filter>(Filter::parse(QStringLiteral("~u 'items\\?q=\\d'")));
        const HttpFlow flow = test::filterFlows()["get"];
        QVERIFY(f.matches(flow));
        g_allocations = 0;
        g_counting = true;
        const bool m = f.matches(flow);
        g_counting = false;
        QVERIFY(m);
        QVERIFY(g_allocations.load() >= 1);
#endif
    }

    void simpleOperatorsDoNotAllocate_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("flow");
        QTest::addColumn<bool>("expected");
        const std::tuple<const char*, const char*, bool> rows[] = {
            {"~all", "get", true},
            {"~s", "get", true},
            {"~q", "get", false},
            {"~e", "pending", true},
            {"~c 200", "get", true},
            {"~c 404", "get", false},
            {"~marked", "post", true},
            {"~replay", "post", true},
            {"~http", "get", true},
            {"~tcp", "get", false},
            {"~websocket", "get", false},
            {"~a", "css", true},
            {"~a", "get", false},
            {"~m POST", "post", true},
            {"~m post", "get", false},
            {"~u /api/items", "get", true},
            {"/API/", "get", true},
            {"~u nothing", "get", false},
            {"~d example", "get", true},
            {"~d nothing", "get", false},
            {"~src :50123", "get", true},
            {"~dst :443", "get", true},
            {"~h 'user-agent: curl'", "get", true},
            {"~hs nginx", "get", true},
            {"~hq nginx", "get", false},
            {"~t json", "get", true},
            {"~ts html", "post", true},
            {"~b hunter2", "post", true},
            {"~bs nothing", "get", false},
            {"!~q & (~m GET | ~m HEAD) & ~c 200 & ~d example & !~a", "get", true},
        };
        for (const auto& [e, flow, expected] : rows)
            QTest::newRow(e) << QString::fromUtf8(e) << QString::fromUtf8(flow) << expected;
    }

    void simpleOperatorsDoNotAllocate()
    {
#ifndef SPYGLASS_COUNT_MALLOC
        QSKIP("counts allocations through glibc's malloc, without a sanitizer");
#else
        QFETCH(QString, expression);
        QFETCH(QString, flow);
        QFETCH(bool, expected);
        const auto parsed = Filter::parse(expression);
        QVERIFY(std::holds_alternative<Filter>(parsed));
        const Filter& f = std::get<Filter>(parsed);
        const HttpFlow fl = test::filterFlows()[flow];
        QCOMPARE(f.matches(fl), expected); // warm: the per-thread scratch has grown
        g_allocations = 0;
        g_counting = true;
        int hits = 0;
        for (int i = 0; i < 1000; ++i)
            hits += f.matches(fl);
        g_counting = false;
        QCOMPARE(hits, expected ? 1000 : 0);
        QCOMPARE(g_allocations.load(), 0L);
#endif
    }
};

QTEST_GUILESS_MAIN(FilterAllocTest)
#include "filter_alloc_test.moc"
