#pragma once
// The window's actions that reach outside Spyglass (issue 6): "Certificate wizard…"
// (cert_wizard.h), "Open browser" (browser_launcher.h, one entry per browser found, several
// may run) and the "System proxy" toggle (system_proxy.h). They live here, not in
// MainWindow, which only makes one ProxyTools: it adds a Tools menu and three toolbar
// buttons to the window it is given.
//
// Lifetime: the browsers started and the system proxy setting belong to this object; when it
// goes (the window closes, the app quits) the browsers are closed, their profiles removed,
// and the system proxy restored. A crashed run's system proxy is restored when it is made.

#include <QObject>
#include <memory>

class QAction;
class QMenu;

namespace spyglass {

class BrowserLauncher;
class CertWizard;
class MainWindow;
class ProxyEngine;
class SystemProxy;

class ProxyTools : public QObject
{
    Q_OBJECT
public:
    ProxyTools(MainWindow* window, ProxyEngine* engine);
    ~ProxyTools() override;

    QAction* certWizardAction() const { return m_wizard; }
    QAction* openBrowserAction() const { return m_browser; }
    QAction* systemProxyAction() const { return m_systemProxy; }
    BrowserLauncher* browserLauncher() const { return m_launcher; }
    SystemProxy* systemProxy() const { return m_proxy.get(); }

    // The wizard, opened (non-modal) or raised.
    CertWizard* showCertWizard();
    // Starts the first browser found (or `name`); false and a message box when it cannot.
    bool openBrowser(const QString& name = {});
    // The address browsers and the OS are pointed at: the listen host, or loopback for a
    // wildcard address, and the running port.
    QString proxyHost() const;
    quint16 proxyPort() const;

private:
    void setSystemProxy(bool on);
    void fillBrowserMenu();

    MainWindow* m_window;
    ProxyEngine* m_engine;
    BrowserLauncher* m_launcher;
    std::unique_ptr<SystemProxy> m_proxy;
    QAction* m_wizard;
    QAction* m_browser;
    QAction* m_systemProxy;
    QMenu* m_browserMenu;
    CertWizard* m_openWizard = nullptr;
};

} // namespace spyglass
