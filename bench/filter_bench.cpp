// Filter matching over one million flows (issue 5's benchmark). Two measurements per
// expression, single-threaded, so the rate is per core:
//  - "in memory": Filter::matches over a million HttpFlow values, what spyglass-dump's trailing
//    filter and the addons' filters do with each flow as it passes;
//  - "stored": FlowStore::forEach (decoding each stored flow into one scratch flow) plus
//    Filter::matches, what filtering a saved session or an export of a million flows costs.
// The flows are tests/unit/ui/synthetic_flows.h's (seven hosts, /item/N paths, JSON or HTML
// bodies). Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so flows per second is
// per core even on a busy machine. Prints figures and asserts nothing.
//
//   filter_bench [FLOWS]     (default 1000000)

#include "filter/filter.h"
#include "flow/flow_store.h"
#include "synthetic_flows.h"

#include <QCoreApplication>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace spyglass;

namespace {

struct Case
{
    const char* label;
    const char* expression;
};

// The target of issue 5 is `~u REGEX`; the others show what operators cost beside it.
const Case kCases[] = {
    {"~u word", "~u item/99"},
    {"~u regex", "~u \"a[0-3]\\.example\\.com/item/[0-9]+7$\""},
    {"bare word", "example.com/item/5"},
    {"compound", "~m POST & (~c 404 | ~d a3.example.com) & !~h \"x-debug\""},
    {"~b (body)", "~bs \"item.: 12\""},
};

// CPU time of this thread, in nanoseconds.
qint64 cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

double rate(qsizetype n, qint64 ns)
{
    return ns > 0 ? double(n) * 1e9 / double(ns) : 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    if (count <= 0) {
        std::fprintf(stderr, "filter_bench: FLOWS must be a positive number\n");
        return 2;
    }

    std::vector<FlowSnapshot> flows;
    flows.reserve(size_t(count));
    FlowStore store;
    QList<FlowSnapshot> batch;
    for (int i = 0; i < count; ++i) {
        flows.push_back(test::uiFlow(i));
        batch.append(flows.back());
        if (batch.size() == 4096 || i == count - 1) {
            store.apply(batch);
            batch.clear();
        }
    }
    std::printf("%d flows (in memory and in a FlowStore), one thread, CPU time\n\n", count);
    std::printf("| expression | matches | in memory | flows/s | stored (decode + match) | "
                "flows/s |\n|---|---|---|---|---|---|\n");

    for (const Case& c : kCases) {
        auto parsed = filter::Filter::parse(QString::fromUtf8(c.expression));
        if (const auto* err = std::get_if<filter::ParseError>(&parsed)) {
            std::fprintf(stderr, "filter_bench: %s: %s\n", c.expression, qPrintable(err->message));
            return 1;
        }
        const filter::Filter f = std::get<filter::Filter>(parsed);

        qint64 start = cpuNow();
        qsizetype hits = 0;
        for (const FlowSnapshot& flow : flows)
            hits += f.matches(*flow);
        const qint64 memoryNs = cpuNow() - start;

        start = cpuNow();
        qsizetype storedHits = 0;
        store.forEach([&](const HttpFlow& flow) { storedHits += f.matches(flow); });
        const qint64 storedNs = cpuNow() - start;
        if (storedHits != hits) {
            std::fprintf(stderr, "filter_bench: %s: %lld matches in memory, %lld stored\n",
                         c.expression, static_cast<long long>(hits),
                         static_cast<long long>(storedHits));
            return 1;
        }
        // A `|` inside a markdown table cell must be escaped.
        const QByteArray shown = QByteArray(c.expression).replace("|", "\\|");
        std::printf("| `%s` (%s) | %lld | %.0f ms | %.2f M | %.0f ms | %.2f M |\n",
                    shown.constData(), c.label, static_cast<long long>(hits),
                    double(memoryNs) / 1e6, rate(count, memoryNs) / 1e6, double(storedNs) / 1e6,
                    rate(count, storedNs) / 1e6);
        std::fflush(stdout);
    }
    return 0;
}
