#include "addons/addon_manager.h"
#include "addons/intercept.h"

#include "addon_flows.h"
#include "proxy/context.h"

#include <atomic>
#include <thread>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::proxy;
using namespace spyglass::test;

namespace {

// Records the order it ran in; may hold the hook until release() (as intercept will).
class Recorder : public Addon
{
public:
    Recorder(QString name, QStringList* trace, bool async = false)
        : m_name(std::move(name)), m_trace(trace), m_async(async)
    {
    }
    QString name() const override { return m_name; }
    QString configure(const Options& o) override
    {
        if (o.stickyauth == QLatin1String("fail-") + m_name)
            return m_name + QStringLiteral(": refused");
        return {};
    }
    quint64 wantedHooks() const override { return Services::bit(HookKind::Request); }
    bool run(const HookPtr& hook, const std::function<void()>& complete) override
    {
        m_trace->append(m_name);
        hook->flow->request.headers.add("X-Seen", m_name.toUtf8());
        if (!m_async)
            return true;
        m_pending = complete;
        return false;
    }
    bool mayWait() const override { return m_async; }
    void release() { std::exchange(m_pending, {})(); }

private:
    QString m_name;
    QStringList* m_trace;
    bool m_async;
    std::function<void()> m_pending;
};

// Counts the hooks it saw, from any thread.
class Counter : public Addon
{
public:
    QString name() const override { return QStringLiteral("counter"); }
    QString configure(const Options&) override { return {}; }
    quint64 wantedHooks() const override { return Services::bit(HookKind::Request); }
    bool run(const HookPtr&, const std::function<void()>&) override
    {
        ++seen;
        return true;
    }
    std::atomic<int> seen{0};
};

HookPtr requestHook()
{
    auto hook = std::make_shared<HookData>();
    hook->kind = HookKind::Request;
    hook->flow = std::make_shared<HttpFlow>(requestFlow("http://example.com/"));
    return hook;
}

} // namespace

class AddonManagerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsInOrderSynchronously()
    {
        QStringList trace;
        std::vector<std::unique_ptr<Addon>> v;
        v.push_back(std::make_unique<Recorder>("a", &trace));
        v.push_back(std::make_unique<Recorder>("b", &trace));
        AddonManager m(std::move(v));
        bool done = false;
        QVERIFY(m.run(requestHook(), [&] { done = true; }));
        QVERIFY(!done); // finished now: `done` is only for later completion
        QCOMPARE(trace, (QStringList{"a", "b"}));
    }

    void anAddonThatNeverWaitsCannotStallTheChain()
    {
        // Recorder "b" returns false without saying it may wait: it was given no way to
        // continue the chain, so its false counts as done and "c" still runs.
        class Liar : public Recorder
        {
        public:
            using Recorder::Recorder;
            bool mayWait() const override { return false; }
        };
        QStringList trace;
        std::vector<std::unique_ptr<Addon>> v;
        v.push_back(std::make_unique<Recorder>("a", &trace));
        v.push_back(std::make_unique<Liar>("b", &trace, true));
        v.push_back(std::make_unique<Recorder>("c", &trace));
        AddonManager m(std::move(v));
        QTest::ignoreMessage(QtWarningMsg,
                             "addon b did not finish a hook, though it never waits; continuing");
        QVERIFY(m.run(requestHook(), [] {}));
        QCOMPARE(trace, (QStringList{"a", "b", "c"}));
    }

    void continuesAfterAnAddonCompletesLater()
    {
        QStringList trace;
        std::vector<std::unique_ptr<Addon>> v;
        v.push_back(std::make_unique<Recorder>("a", &trace));
        auto held = std::make_unique<Recorder>("held", &trace, true);
        Recorder* heldPtr = held.get();
        v.push_back(std::move(held));
        v.push_back(std::make_unique<Recorder>("c", &trace));
        AddonManager m(std::move(v));
        int done = 0;
        const HookPtr hook = requestHook();
        QVERIFY(!m.run(hook, [&] { ++done; }));
        QCOMPARE(trace, (QStringList{"a", "held"}));
        // Completion may come from another thread (the window resuming a flow).
        std::thread t([heldPtr] { heldPtr->release(); });
        t.join();
        QCOMPARE(trace, (QStringList{"a", "held", "c"}));
        QCOMPARE(done, 1);
        QCOMPARE(hook->flow->request.headers.values("x-seen"),
                 (QList<QByteArray>{"a", "held", "c"}));
    }

    void skipsAddonsThatDoNotWantTheHook()
    {
        QStringList trace;
        std::vector<std::unique_ptr<Addon>> v;
        v.push_back(std::make_unique<Recorder>("a", &trace));
        AddonManager m(std::move(v));
        auto hook = requestHook();
        hook->kind = HookKind::Response;
        QVERIFY(m.run(hook, [] {}));
        QVERIFY(trace.isEmpty());
    }

    void configureReportsTheFirstError()
    {
        QStringList trace;
        std::vector<std::unique_ptr<Addon>> v;
        v.push_back(std::make_unique<Recorder>("a", &trace));
        v.push_back(std::make_unique<Recorder>("b", &trace));
        AddonManager m(std::move(v));
        Options o;
        o.stickyauth = "fail-b";
        QCOMPARE(m.configure(o), QStringLiteral("b: refused"));
        QVERIFY(m.configure(Options{}).isEmpty());
    }

    // The default set, in mitmproxy's order; only block_global wants a hook by default.
    void defaultAddons()
    {
        AddonManager m;
        QStringList names;
        for (const auto& a : m.addons())
            names << a->name();
        QCOMPARE(names, (QStringList{"block", "block_list", "anticache", "anticomp", "onboarding",
                                     "server_replay", "map_remote", "map_local", "modify_body",
                                     "modify_headers", "stickyauth", "stickycookie", "intercept"}));
        // onboarding is on by default (as in mitmproxy) and answers its host from three hooks.
        const quint64 onboarding = Services::bit(HookKind::HttpConnect) |
                                   Services::bit(HookKind::TlsClientHello) |
                                   Services::bit(HookKind::Request);
        QVERIFY(m.configure(Options{}).isEmpty());
        QCOMPARE(m.wantedHooks(), Services::bit(HookKind::ClientConnected) | onboarding);
        QVERIFY(m.configure(optionsWith({"onboarding=false"})).isEmpty());
        QCOMPARE(m.wantedHooks(), Services::bit(HookKind::ClientConnected));
        QVERIFY(m.configure(optionsWith({"block_global=false", "onboarding=false"})).isEmpty());
        QCOMPARE(m.wantedHooks(), quint64(0));
        QVERIFY(m.configure(optionsWith({"block_global=false", "onboarding=false",
                                         "block_list=/~q/404", "modify_headers=/X/y"}))
                    .isEmpty());
        QCOMPARE(m.wantedHooks(),
                 Services::bit(HookKind::Request) | Services::bit(HookKind::Response));
    }

    // block_list runs before modify_headers: the blocked response still gets its headers.
    void orderMattersForAnsweredRequests()
    {
        AddonManager m;
        QVERIFY(
            m.configure(optionsWith({"block_list=/~q/403", "modify_headers=/~s/X-B/1"})).isEmpty());
        auto hook = requestHook();
        QVERIFY(m.run(hook, [] {}));
        QCOMPARE(hook->flow->response->statusCode, 403);
        hook->kind = HookKind::Response;
        QVERIFY(m.run(hook, [] {}));
        QCOMPARE(hook->flow->response->headers.value("x-b"), QByteArray("1"));
    }

    // Hooks from many threads while the configuration changes under them.
    void concurrentHooksAndConfigure()
    {
        AddonManager m;
        QVERIFY(m.configure(optionsWith({"modify_headers=/X-A/1"})).isEmpty());
        std::atomic<bool> stop{false};
        std::vector<std::thread> workers;
        std::atomic<int> bad{0};
        for (int i = 0; i < 4; ++i)
            workers.emplace_back([&] {
                while (!stop.load()) {
                    auto hook = requestHook();
                    m.run(hook, [] {});
                    const QByteArray v = hook->flow->request.headers.value("x-a");
                    if (v != "1" && v != "2" && !v.isEmpty())
                        ++bad;
                }
            });
        for (int i = 0; i < 200; ++i)
            m.configure(optionsWith({QStringLiteral("modify_headers=/X-A/%1").arg(i % 2 + 1)}));
        stop = true;
        for (auto& t : workers)
            t.join();
        QCOMPARE(bad.load(), 0);
    }

    // A script loaded while the proxy runs: add() from another thread while workers run
    // hooks. A hook already on its way finishes on the chain it started with; the next one
    // sees the new addon, before intercept.
    void addWhileHooksRun()
    {
        QStringList trace;
        std::vector<std::unique_ptr<Addon>> v;
        auto* held = new Recorder("held", &trace, true);
        v.emplace_back(held);
        v.push_back(std::make_unique<Intercept>());
        AddonManager m(std::move(v));
        bool done = false;
        QVERIFY(!m.run(requestHook(), [&] { done = true; }));
        m.add(std::make_unique<Recorder>("late", &trace));
        held->release();
        QVERIFY(done);
        QCOMPARE(trace, QStringList{"held"});
        QStringList names;
        for (const Addon* a : m.addons())
            names << a->name();
        QCOMPARE(names, (QStringList{"held", "late", "intercept"}));

        auto* first = new Counter;
        std::vector<std::unique_ptr<Addon>> w;
        w.emplace_back(first);
        AddonManager busy(std::move(w));
        std::atomic<bool> stop{false};
        std::vector<std::thread> workers;
        for (int t = 0; t < 3; ++t)
            workers.emplace_back([&] {
                while (!stop)
                    busy.run(requestHook(), [] {});
            });
        std::vector<Counter*> added;
        for (int i = 0; i < 40; ++i) {
            auto c = std::make_unique<Counter>();
            added.push_back(c.get());
            busy.add(std::move(c));
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        stop = true;
        for (std::thread& t : workers)
            t.join();
        QCOMPARE(busy.addons().size(), size_t(41));
        const int before = first->seen;
        QVERIFY(busy.run(requestHook(), [] {}));
        QCOMPARE(first->seen.load(), before + 1);
        for (const Counter* c : added)
            QVERIFY(c->seen.load() >= 1); // every one joined the chain
    }
};

QTEST_APPLESS_MAIN(AddonManagerTest)
#include "addon_manager_test.moc"
