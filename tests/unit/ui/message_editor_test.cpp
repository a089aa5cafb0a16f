// MessageEditor and FlowEditor, offscreen: a multipart body round-trips with its boundary and
// its bytes, an edited part is encoded with the same boundary; a form body is edited as
// fields; headers are added, removed and moved; a gzip body is shown decoded and saved
// encoded again; a new host goes into the Host header; bad input keeps the dialog open with
// the reason. SPYGLASS_SCREENSHOTS=DIR saves the editor as flow_editor.png there.

#include "field_table_model.h"
#include "flow_editor.h"
#include "io/content_coding.h"
#include "message_editor.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace spyglass;

namespace {

const QByteArray Boundary = "----WebKitFormBoundaryePkpFF7tjBAqx29L";

QByteArray multipartBody()
{
    return "--" + Boundary +
           "\r\n"
           "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
           "Quarterly report\r\n"
           "--" +
           Boundary +
           "\r\n"
           "Content-Disposition: form-data; name=\"upload\"; filename=\"report.pdf\"\r\n"
           "Content-Type: application/pdf\r\n\r\n"
           "%PDF-1.7\n" +
           QByteArray::fromHex("e2e3cfd30a00ff") + "\r\n--" + Boundary + "--\r\n";
}

HttpFlow multipartFlow()
{
    HttpFlow f;
    f.live = false;
    Request& r = f.request;
    r.method = "POST";
    r.scheme = "https";
    r.host = "upload.example.com";
    r.port = 443;
    r.path = "/reports?draft=1";
    r.httpVersion = "HTTP/1.1";
    r.body.content = multipartBody();
    r.body.size = r.body.content.size();
    r.headers = {{"Host", "upload.example.com"},
                 {"User-Agent", "Mozilla/5.0"},
                 {"Content-Type", "multipart/form-data; boundary=" + Boundary},
                 {"Content-Length", QByteArray::number(r.body.size)}};
    Response resp = Response::make(201, "{\"id\": 7}", "application/json");
    resp.reason = "Created";
    f.response = resp;
    return f;
}

QList<QByteArray> headerNames(const Headers& h)
{
    QList<QByteArray> names;
    for (const Headers::Field& f : h.fields())
        names.append(f.first);
    return names;
}

void testModels(MessageEditor& editor, std::vector<std::unique_ptr<QAbstractItemModelTester>>& out)
{
    for (QAbstractItemModel* m : {static_cast<QAbstractItemModel*>(editor.headersModel()),
                                  static_cast<QAbstractItemModel*>(editor.formModel()),
                                  static_cast<QAbstractItemModel*>(editor.partsModel())})
        out.push_back(std::make_unique<QAbstractItemModelTester>(
            m, QAbstractItemModelTester::FailureReportingMode::QtTest));
}

QToolButton* button(QWidget* near, const QString& text)
{
    for (QToolButton* b : near->parentWidget()->findChildren<QToolButton*>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class MessageEditorTest : public QObject
{
    Q_OBJECT
private slots:
    void multipartKeepsBoundary()
    {
        MessageEditor editor;
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        testModels(editor, testers);
        const HttpFlow flow = multipartFlow();
        editor.setRequest(flow.request);
        QCOMPARE(editor.bodyMode(), MessageEditor::BodyMode::Multipart);
        FieldTableModel* parts = editor.partsModel();
        QCOMPARE(parts->rowCount(), 2);
        QCOMPARE(parts->rows()[1][MessageEditor::PartFilename], QByteArray("report.pdf"));
        QVERIFY(parts->isBinary(1, MessageEditor::PartValue));

        QString error;
        std::optional<Request> same = editor.request(&error);
        QVERIFY2(same, qPrintable(error));
        QCOMPARE(same->body.content, flow.request.body.content); // byte for byte
        QCOMPARE(same->headers, flow.request.headers);
        QCOMPARE(same->url(), flow.request.url());

        // One field changed: encoded again with the same boundary, the file part untouched.
        QVERIFY(parts->setData(parts->index(0, MessageEditor::PartValue),
                               QStringLiteral("Annual report")));
        std::optional<Request> edited = editor.request(&error);
        QVERIFY2(edited, qPrintable(error));
        QCOMPARE(edited->headers.value("content-type"),
                 "multipart/form-data; boundary=" + Boundary);
        QByteArray expected = multipartBody();
        expected.replace("Quarterly report", "Annual report");
        QCOMPARE(edited->body.content, expected);
        QCOMPARE(edited->headers.value("content-length"), QByteArray::number(expected.size()));
        QCOMPARE(edited->body.size, qint64(expected.size()));

        // The value pane edits the selected part's value, lines and all; not a binary one.
        editor.partsView()->setCurrentIndex(parts->index(0, MessageEditor::PartName));
        QCOMPARE(editor.partValueEdit()->toPlainText(), QStringLiteral("Annual report"));
        QVERIFY(editor.partValueEdit()->isEnabled());
        editor.partValueEdit()->setPlainText(QStringLiteral("Annual\nreport"));
        QCOMPARE(parts->rows()[0][MessageEditor::PartValue], QByteArray("Annual\nreport"));
        editor.partsView()->setCurrentIndex(parts->index(1, MessageEditor::PartName));
        QVERIFY(!editor.partValueEdit()->isEnabled());
    }

    void formEditedAsFields()
    {
        MessageEditor editor;
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        testModels(editor, testers);
        Request r;
        r.method = "POST";
        r.scheme = "http";
        r.host = "example.com";
        r.port = 80;
        r.path = "/login";
        r.httpVersion = "HTTP/1.1";
        r.body.content = "user=alice&pass=s3cr%21t";
        r.headers = {{"Host", "example.com"},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Content-Length", "24"}};
        editor.setRequest(r);
        QCOMPARE(editor.bodyMode(), MessageEditor::BodyMode::Form);
        FieldTableModel* form = editor.formModel();
        QCOMPARE(form->rows(),
                 (QList<FieldTableModel::Row>{{"user", "alice"}, {"pass", "s3cr!t"}}));

        QVERIFY(form->setData(form->index(0, 1), QStringLiteral("bob & co")));
        form->appendRow({"remember", "on"});
        QString error;
        std::optional<Request> edited = editor.request(&error);
        QVERIFY2(edited, qPrintable(error));
        QCOMPARE(edited->body.content, QByteArray("user=bob+%26+co&pass=s3cr%21t&remember=on"));
        QCOMPARE(edited->headers.value("content-length"), QByteArray("41"));

        // Back to text, edited there, then to fields again.
        editor.setBodyMode(MessageEditor::BodyMode::Text);
        QCOMPARE(editor.bodyEdit()->toPlainText(),
                 QStringLiteral("user=bob+%26+co&pass=s3cr%21t&remember=on"));
        editor.bodyEdit()->setPlainText(QStringLiteral("a=1"));
        editor.setBodyMode(MessageEditor::BodyMode::Form);
        QCOMPARE(form->rows(), (QList<FieldTableModel::Row>{{"a", "1"}}));
    }

    void textBodyBecomesMultipart()
    {
        MessageEditor editor;
        Request r;
        r.method = "POST";
        r.scheme = "https";
        r.host = "example.com";
        r.port = 443;
        r.path = "/";
        r.httpVersion = "HTTP/2.0";
        r.headers = {{"content-type", "text/plain"}};
        r.body.content = "hello";
        editor.setRequest(r);
        QCOMPARE(editor.bodyMode(), MessageEditor::BodyMode::Text);
        editor.setBodyMode(MessageEditor::BodyMode::Multipart);
        editor.partsModel()->appendRow({"note", "", "", "hi"});
        QString error;
        std::optional<Request> edited = editor.request(&error);
        QVERIFY2(edited, qPrintable(error));
        const QByteArray type = edited->headers.value("content-type");
        QVERIFY(type.startsWith("multipart/form-data; boundary=----spyglass"));
        const QByteArray boundary = type.mid(type.indexOf('=') + 1);
        QCOMPARE(edited->body.content,
                 "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--" +
                     boundary + "--\r\n");
        QCOMPARE(edited->authority, QByteArray("example.com")); // HTTP/2: :authority
        QVERIFY(!edited->headers.contains("content-length"));   // h2 without one: none added
    }

    void headersEdited()
    {
        MessageEditor editor;
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        testModels(editor, testers);
        editor.show();
        const HttpFlow flow = multipartFlow();
        editor.setRequest(flow.request);
        FieldTableModel* headers = editor.headersModel();
        QTableView* view = editor.headersView();

        // The buttons: remove User-Agent, move Content-Length up, add a field after it.
        view->setCurrentIndex(headers->index(1, 0));
        button(view, QStringLiteral("Remove"))->click();
        view->setCurrentIndex(headers->index(2, 0));
        button(view, QStringLiteral("Up"))->click();
        QCOMPARE(view->currentIndex().row(), 1);
        button(view, QStringLiteral("Add"))->click();
        QCOMPARE(headers->rowCount(), 4);
        QCOMPARE(view->currentIndex(), headers->index(2, 0));
        QVERIFY(headers->setData(headers->index(2, 0), QStringLiteral("X-Trace")));
        QVERIFY(headers->setData(headers->index(2, 1), QStringLiteral("42")));

        QString error;
        std::optional<Request> edited = editor.request(&error);
        QVERIFY2(edited, qPrintable(error));
        QCOMPARE(headerNames(edited->headers),
                 (QList<QByteArray>{"Host", "Content-Length", "X-Trace", "Content-Type"}));
        QCOMPARE(edited->headers.value("x-trace"), QByteArray("42"));

        // A new host reaches the Host header; a bad URL or method is refused with a reason.
        editor.urlEdit()->setText(QStringLiteral("http://other.example:8080/x?y=1"));
        edited = editor.request(&error);
        QVERIFY2(edited, qPrintable(error));
        QCOMPARE(edited->headers.value("host"), QByteArray("other.example:8080"));
        QCOMPARE(edited->path, QByteArray("/x?y=1"));
        QCOMPARE(edited->port, quint16(8080));
        editor.urlEdit()->setText(QStringLiteral("/relative"));
        QVERIFY(!editor.request(&error));
        QVERIFY(error.contains(QStringLiteral("/relative")));
        editor.urlEdit()->setText(QStringLiteral("https://example.com/"));
        editor.methodEdit()->setCurrentText(QStringLiteral("GET /x"));
        QVERIFY(!editor.request(&error));
    }

    void compressedBodyDecodedAndEncoded()
    {
        MessageEditor editor;
        Response r;
        r.httpVersion = "HTTP/1.1";
        r.statusCode = 200;
        r.reason = "OK";
        r.body.content = *ContentCoding::encode({"gzip"}, "{\"ok\": true}");
        r.headers = {{"Content-Type", "application/json"},
                     {"Content-Encoding", "gzip"},
                     {"Content-Length", QByteArray::number(r.body.content.size())}};
        editor.setResponse(r);
        editor.resize(760, 460);
        shoot(editor, "message_editor_response");
        QCOMPARE(editor.bodyEdit()->toPlainText(), QStringLiteral("{\"ok\": true}"));
        QVERIFY(editor.bodyNote()->text().contains(QStringLiteral("gzip")));

        QString error;
        std::optional<Response> same = editor.response(&error);
        QVERIFY(same);
        QCOMPARE(same->body.content, r.body.content); // not compressed again

        editor.bodyEdit()->setPlainText(QStringLiteral("{\"ok\": false}"));
        editor.statusEdit()->setValue(404);
        QCOMPARE(editor.reasonEdit()->text(), QStringLiteral("Not Found"));
        std::optional<Response> edited = editor.response(&error);
        QVERIFY2(edited, qPrintable(error));
        QCOMPARE(edited->statusCode, 404);
        QCOMPARE(edited->reason, QByteArray("Not Found"));
        QCOMPARE(*ContentCoding::decode({"gzip"}, edited->body.content, 1 << 20),
                 QByteArray("{\"ok\": false}"));
        QCOMPARE(edited->headers.value("content-length"),
                 QByteArray::number(edited->body.content.size()));

        // A coding that cannot be applied is an error, not a silently wrong body.
        FieldTableModel* headers = editor.headersModel();
        QVERIFY(headers->setData(headers->index(1, 1), QStringLiteral("compress")));
        QVERIFY(!editor.response(&error));
        QVERIFY(error.contains(QStringLiteral("compress")));
    }

    void dialogRefusesBadInputAndShowsItself()
    {
        const HttpFlow flow = multipartFlow();
        FlowEditor dialog(flow, FlowEditor::Parts::Both);
        QCOMPARE(dialog.tabs()->count(), 2);
        QVERIFY(dialog.responseEditor());
        QCOMPARE(dialog.responseEditor()->statusEdit()->value(), 201);
        dialog.requestEditor()->headersView()->setCurrentIndex(
            dialog.requestEditor()->headersModel()->index(1, 1));
        shoot(dialog, "flow_editor");
        dialog.show();

        dialog.requestEditor()->urlEdit()->setText(QStringLiteral("not a url"));
        dialog.acceptButton()->click();
        QVERIFY(dialog.isVisible()); // stays open
        QVERIFY(dialog.errorLabel()->isVisible());
        QVERIFY(dialog.errorLabel()->text().startsWith(QStringLiteral("Request:")));

        dialog.requestEditor()->urlEdit()->setText(QStringLiteral("https://upload.example.com/v2"));
        dialog.responseEditor()->statusEdit()->setValue(200);
        dialog.acceptButton()->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.editedFlow().request.path, QByteArray("/v2"));
        QCOMPARE(dialog.editedFlow().response->statusCode, 200);
        QCOMPARE(dialog.editedFlow().id, flow.id);
        QVERIFY(!dialog.resendRequested());
        QVERIFY(!dialog.resendButton());

        // Held at its response: the request is shown but not taken.
        FlowEditor held(flow, FlowEditor::Parts::Response);
        QVERIFY(!held.requestEditor()->isEnabled());
        held.requestEditor()->urlEdit()->setText(QStringLiteral("not a url"));
        held.responseEditor()->reasonEdit()->setText(QStringLiteral("Made"));
        HttpFlow out;
        QString error;
        QVERIFY2(held.buildFlow(&out, &error), qPrintable(error));
        QCOMPARE(out.request.url(), flow.request.url());
        QCOMPARE(out.response->reason, QByteArray("Made"));
    }

private:
    static void shoot(QWidget& widget, const char* name)
    {
        const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
        if (dir.isEmpty())
            return;
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QVERIFY(widget.grab().save(dir + QLatin1Char('/') + QLatin1String(name) +
                                   QStringLiteral(".png")));
    }
};

QTEST_MAIN(MessageEditorTest)
#include "message_editor_test.moc"
