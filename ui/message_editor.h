#pragma once
// Edits one HTTP message for the flow editor (flow_editor.h): a request's method, URL and HTTP
// version, or a response's version, status code and reason; the header fields as a table (add,
// remove, reorder); and the body, as text, as form fields (application/x-www-form-urlencoded)
// or as multipart parts (multipart/form-data: name, file name, type, value), mitmproxy's
// "edit request/response" with its form editors.
//
// The body is shown decoded from its Content-Encoding (io/content_coding.h) and encoded again
// with the codings the edited headers name. A body left as it was keeps its exact bytes (no
// re-compression); a changed one updates Content-Length. Multipart keeps the boundary of the
// Content-Type (form_codec.h). Bodies that cannot be edited here stay as they are and say why:
// streamed ones (not recorded), ones whose coding cannot be undone, binary ones in text mode,
// and ones over 4 MiB (a text editor holding more would freeze the window).

#include "flow/http_message.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;
class QTableView;

namespace spyglass {

class FieldTableModel;

class MessageEditor : public QWidget
{
    Q_OBJECT
public:
    enum class BodyMode
    {
        Text,
        Form,
        Multipart,
    };

    explicit MessageEditor(QWidget* parent = nullptr);

    void setRequest(const Request& request);
    void setResponse(const Response& response);
    bool isRequest() const { return m_isRequest; }

    // The message with the edits; nullopt and a one-line reason when it cannot be made (a URL
    // that is not absolute http(s), a bad method, a coding that cannot be applied).
    std::optional<Request> request(QString* error) const;
    std::optional<Response> response(QString* error) const;

    BodyMode bodyMode() const { return m_mode; }
    // Switches the body editor, carrying the body over (text parsed as fields, fields
    // encoded as text). Multipart without a boundary gets one in the Content-Type; Form sets
    // the Content-Type when it is not a form's.
    void setBodyMode(BodyMode mode);
    // Whether the body can be changed here (see the top of this file).
    bool isBodyEditable() const { return m_bodyEditable; }

    // The parts, for tests and for a person's keyboard.
    QComboBox* methodEdit() const { return m_method; }
    QLineEdit* urlEdit() const { return m_url; }
    QComboBox* versionEdit() const { return m_isRequest ? m_version : m_responseVersion; }
    QSpinBox* statusEdit() const { return m_status; }
    QLineEdit* reasonEdit() const { return m_reason; }
    FieldTableModel* headersModel() const { return m_headers; }
    FieldTableModel* formModel() const { return m_form; }
    FieldTableModel* partsModel() const { return m_parts; }
    QTableView* headersView() const { return m_headersView; }
    QPlainTextEdit* bodyEdit() const { return m_text; }
    QComboBox* bodyModeEdit() const { return m_modeBox; }
    QLabel* bodyNote() const { return m_note; }
    QTableView* partsView() const { return m_partsView; }
    // The selected part's value, as many lines as it has (a table cell shows one).
    QPlainTextEdit* partValueEdit() const { return m_partValue; }

    // Columns of partsModel().
    enum PartColumn
    {
        PartName,
        PartFilename,
        PartContentType,
        PartValue,
    };

private:
    void buildUi();
    QWidget* tableWithButtons(FieldTableModel* model, QTableView** view, const QString& what);
    void loadHeaders(const Headers& headers);
    void loadBody(const BodyInfo& body, const Headers& headers);
    void showBodyIn(BodyMode mode, const QByteArray& decoded);
    void updateNote();
    QWidget* partsEditor();
    void showPartValue();
    void onModeChosen(int index);
    Headers editedHeaders() const;
    // The decoded body as the current editor has it.
    QByteArray currentBody(const Headers& headers) const;
    // Puts the edited body into `body` and fixes `headers` (Content-Length, Content-Type).
    bool finishBody(Headers& headers, BodyInfo& body, bool http1Request, QString* error) const;

    bool m_isRequest = true;
    Request m_request;
    Response m_response;
    BodyInfo m_body;             // as given
    QByteArray m_decoded;        // the body without its Content-Encoding
    QList<QByteArray> m_codings; // the Content-Encoding it came with
    bool m_bodyEditable = true;
    QString m_bodyReason;  // why not, or which coding was undone
    QByteArray m_boundary; // for Multipart when the Content-Type has none
    BodyMode m_mode = BodyMode::Text;
    QByteArray m_binaryText; // Text mode: the body shown as hex, read-only
    int m_shownStatus = 0;

    QWidget* m_requestLine = nullptr;
    QWidget* m_statusLine = nullptr;
    QComboBox* m_method = nullptr;
    QLineEdit* m_url = nullptr;
    QComboBox* m_version = nullptr;
    QComboBox* m_responseVersion = nullptr;
    QSpinBox* m_status = nullptr;
    QLineEdit* m_reason = nullptr;
    FieldTableModel* m_headers = nullptr;
    FieldTableModel* m_form = nullptr;
    FieldTableModel* m_parts = nullptr;
    QTableView* m_headersView = nullptr;
    QTableView* m_formView = nullptr;
    QTableView* m_partsView = nullptr;
    QComboBox* m_modeBox = nullptr;
    QLabel* m_note = nullptr;
    QStackedWidget* m_bodyStack = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QPlainTextEdit* m_partValue = nullptr;
};

} // namespace spyglass
