#include "proxy_tools.h"

#include "browser_launcher.h"
#include "cert_wizard.h"
#include "main_window.h"
#include "server/proxy_engine.h"
#include "system_proxy.h"
#include "tls/certificate_authority.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>

namespace spyglass {

ProxyTools::ProxyTools(MainWindow* window, ProxyEngine* engine)
    : QObject(window), m_window(window), m_engine(engine), m_launcher(new BrowserLauncher(this)),
      m_proxy(std::make_unique<SystemProxy>(window->options().confdir))
{
    setObjectName(QStringLiteral("proxyTools"));
    m_wizard = new QAction(tr("&Certificate wizard…"), this);
    m_wizard->setToolTip(tr("Show the Spyglass certificate authority, install it into the "
                            "system and browser trust stores, export it, check it"));
    connect(m_wizard, &QAction::triggered, this, [this] { showCertWizard(); });

    m_browser = new QAction(tr("Open &browser"), this);
    m_browser->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_browser->setToolTip(tr("Start Chromium, Chrome or Firefox with a fresh profile that uses "
                             "this proxy and trusts its certificates (Ctrl+Shift+B)"));
    m_browserMenu = new QMenu(window);
    m_browser->setMenu(m_browserMenu);
    connect(m_browser, &QAction::triggered, this, [this] { openBrowser(); });
    connect(m_browserMenu, &QMenu::aboutToShow, this, &ProxyTools::fillBrowserMenu);

    m_systemProxy = new QAction(tr("S&ystem proxy"), this);
    m_systemProxy->setCheckable(true);
    QString error;
    if (!m_proxy->recoverIfNeeded(&error)) {
        // Not modal: the window (and a test) goes on; the user reads it when it shows.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("System proxy"),
                                    tr("The system proxy setting of an earlier run could not "
                                       "be restored: %1")
                                        .arg(error),
                                    QMessageBox::Ok, window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    if (m_proxy->backend() == SystemProxy::Backend::None) {
        m_systemProxy->setEnabled(false);
        m_systemProxy->setToolTip(
            tr("The system proxy cannot be set here: %1").arg(m_proxy->unavailableReason()));
    } else {
        m_systemProxy->setToolTip(tr("Point the operating system's proxy setting at Spyglass; "
                                     "the previous setting comes back when this is turned off "
                                     "or Spyglass quits"));
    }
    connect(m_systemProxy, &QAction::toggled, this, &ProxyTools::setSystemProxy);

    QMenu* tools = new QMenu(tr("&Tools"), window);
    tools->addAction(m_wizard);
    tools->addAction(m_browser);
    tools->addAction(m_systemProxy);
    // Before Help, where desktop apps keep their Tools menu.
    QMenuBar* bar = window->menuBar();
    const QList<QAction*> menus = bar->actions();
    bar->insertMenu(menus.isEmpty() ? nullptr : menus.last(), tools);
    if (auto* toolbar = window->findChild<QToolBar*>(QStringLiteral("proxyToolBar"))) {
        toolbar->addSeparator();
        toolbar->addAction(m_browser);
        toolbar->addAction(m_systemProxy);
        toolbar->addAction(m_wizard);
    }
}

ProxyTools::~ProxyTools()
{
    QString error;
    if (m_proxy->isEnabled() && !m_proxy->disable(&error))
        qWarning("spyglass: the system proxy could not be restored: %s", qPrintable(error));
}

QString ProxyTools::proxyHost() const
{
    const QString host = m_window->options().listenHost;
    if (host.isEmpty() || host == QLatin1String("0.0.0.0") || host == QLatin1String("::"))
        return QStringLiteral("127.0.0.1");
    return host;
}

quint16 ProxyTools::proxyPort() const
{
    return m_engine->isRunning() ? m_engine->listenPort() : quint16(m_window->options().listenPort);
}

CertWizard* ProxyTools::showCertWizard()
{
    if (!m_openWizard) {
        m_openWizard =
            new CertWizard(m_window->options().confdir, proxyHost(), proxyPort(), m_window);
        m_openWizard->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_openWizard, &QObject::destroyed, this, [this] { m_openWizard = nullptr; });
    }
    m_openWizard->show();
    m_openWizard->raise();
    m_openWizard->activateWindow();
    return m_openWizard;
}

void ProxyTools::fillBrowserMenu()
{
    m_browserMenu->clear();
    const QList<BrowserLauncher::Browser> browsers = BrowserLauncher::findBrowsers();
    if (browsers.isEmpty()) {
        m_browserMenu->addAction(tr("No Chromium, Chrome or Firefox found"))->setEnabled(false);
        return;
    }
    for (const BrowserLauncher::Browser& b : browsers) {
        QAction* a = m_browserMenu->addAction(b.name);
        a->setToolTip(b.executable);
        connect(a, &QAction::triggered, this, [this, name = b.name] { openBrowser(name); });
    }
}

bool ProxyTools::openBrowser(const QString& name)
{
    const QString title = tr("Open browser");
    if (!m_engine->isRunning() || !m_engine->certificateAuthority()) {
        QMessageBox::information(m_window, title, tr("Start the proxy first."));
        return false;
    }
    const QList<BrowserLauncher::Browser> browsers = BrowserLauncher::findBrowsers();
    const BrowserLauncher::Browser* chosen = nullptr;
    for (const BrowserLauncher::Browser& b : browsers)
        if (name.isEmpty() || b.name == name) {
            chosen = &b;
            break;
        }
    if (!chosen) {
        QMessageBox::information(
            m_window, title,
            tr("No Chromium, Chrome or Firefox was found. Point any browser at the proxy %1:%2 "
               "and open http://spyglass.proxy/ to install the certificate.")
                .arg(proxyHost())
                .arg(proxyPort()));
        return false;
    }
    const CertificateAuthority* ca = m_engine->certificateAuthority();
    const QStringList spki{
        QString::fromLatin1(ca->leafSpkiSha256Base64()),
        QString::fromLatin1(BrowserLauncher::spkiSha256Base64(ca->certificate()))};
    QString error;
    if (!m_launcher->launch(*chosen, proxyHost(), proxyPort(), spki,
                            ca->filePath(CertificateAuthority::kCaCertPemFile),
                            QStringLiteral("http://spyglass.proxy/"), &error)) {
        QMessageBox::warning(m_window, title, error);
        return false;
    }
    return true;
}

void ProxyTools::setSystemProxy(bool on)
{
    QString error;
    const bool ok =
        on ? m_proxy->enable(proxyHost(), proxyPort(), &error) : m_proxy->disable(&error);
    if (!ok) {
        const QSignalBlocker block(m_systemProxy);
        m_systemProxy->setChecked(m_proxy->isEnabled());
        QMessageBox::warning(m_window, tr("System proxy"), error);
    }
}

} // namespace spyglass
