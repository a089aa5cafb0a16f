#include "message_editor.h"

#include "content_view.h"
#include "field_table_model.h"
#include "form_codec.h"
#include "io/content_coding.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <cctype>
#include <cstring>

namespace spyglass {

namespace {

// Bodies up to this size are editable; a QPlainTextEdit holding more makes the window sluggish.
constexpr qsizetype EditableBodyLimit = 4 << 20;
// Decoding a compressed body stops here (a zip bomb must not take the window down).
constexpr qint64 DecodedBodyLimit = 64 << 20;

bool isHttp1(const QByteArray& version)
{
    return version.isEmpty() || version.startsWith("HTTP/1") || version.startsWith("HTTP/0");
}

QByteArray hostPort(const Request& r)
{
    QByteArray h = r.host.contains(':') ? '[' + r.host + ']' : r.host;
    if (r.port != defaultPort(r.scheme))
        h += ':' + QByteArray::number(r.port);
    return h;
}

bool isToken(const QByteArray& s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) // RFC 9110 5.6.2 tchar
        if (!std::isalnum(static_cast<unsigned char>(c)) &&
            (c == 0 || !std::strchr("!#$%&'*+-.^_`|~", c)))
            return false;
    return true;
}

} // namespace

MessageEditor::MessageEditor(QWidget* parent) : QWidget(parent)
{
    m_headers = new FieldTableModel({tr("Name"), tr("Value")}, this);
    m_form = new FieldTableModel({tr("Name"), tr("Value")}, this);
    m_parts =
        new FieldTableModel({tr("Name"), tr("File name"), tr("Content type"), tr("Value")}, this);
    buildUi();
}

void MessageEditor::buildUi()
{
    // The first line: a request line or a status line.
    m_requestLine = new QWidget(this);
    auto* rl = new QHBoxLayout(m_requestLine);
    rl->setContentsMargins(0, 0, 0, 0);
    m_method = new QComboBox(m_requestLine);
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_method->setToolTip(tr("The request method; type any other token"));
    m_url = new QLineEdit(m_requestLine);
    m_url->setPlaceholderText(tr("https://example.com/path?query"));
    m_url->setToolTip(tr("The absolute URL: scheme, host, port, path and query. A new host also "
                         "goes into the Host header."));
    m_version = new QComboBox(m_requestLine);
    m_version->setEditable(true);
    m_version->addItems(
        {QStringLiteral("HTTP/1.1"), QStringLiteral("HTTP/2.0"), QStringLiteral("HTTP/1.0")});
    m_version->setToolTip(tr("The HTTP version"));
    rl->addWidget(m_method);
    rl->addWidget(m_url, 1);
    rl->addWidget(m_version);

    m_statusLine = new QWidget(this);
    auto* sl = new QHBoxLayout(m_statusLine);
    sl->setContentsMargins(0, 0, 0, 0);
    m_responseVersion = new QComboBox(m_statusLine);
    m_responseVersion->setEditable(true);
    m_responseVersion->addItems(
        {QStringLiteral("HTTP/1.1"), QStringLiteral("HTTP/2.0"), QStringLiteral("HTTP/1.0")});
    m_responseVersion->setToolTip(tr("The HTTP version"));
    m_status = new QSpinBox(m_statusLine);
    m_status->setRange(100, 999);
    m_status->setToolTip(tr("The status code"));
    m_reason = new QLineEdit(m_statusLine);
    m_reason->setToolTip(tr("The reason phrase (HTTP/2 sends none)"));
    m_reason->setPlaceholderText(tr("Reason"));
    connect(m_status, &QSpinBox::valueChanged, this, [this](int code) {
        // A new code brings its usual reason, unless the reason was one of a person's own.
        const QByteArray reason = m_reason->text().toLatin1();
        if (reason.isEmpty() || reason == defaultReason(m_shownStatus))
            m_reason->setText(QString::fromLatin1(defaultReason(code)));
        m_shownStatus = code;
    });
    sl->addWidget(m_responseVersion);
    sl->addWidget(m_status);
    sl->addWidget(m_reason, 1);

    // Headers.
    auto* headersBox = new QGroupBox(tr("Headers"), this);
    auto* hl = new QVBoxLayout(headersBox);
    hl->setContentsMargins(4, 4, 4, 4);
    hl->addWidget(tableWithButtons(m_headers, &m_headersView, tr("header")));

    // Body.
    auto* bodyBox = new QGroupBox(tr("Body"), this);
    auto* bl = new QVBoxLayout(bodyBox);
    bl->setContentsMargins(4, 4, 4, 4);
    auto* modeLine = new QHBoxLayout;
    auto* modeLabel = new QLabel(tr("Edit as:"), bodyBox);
    m_modeBox = new QComboBox(bodyBox);
    m_modeBox->addItem(tr("Text"), int(BodyMode::Text));
    m_modeBox->addItem(tr("Form fields"), int(BodyMode::Form));
    m_modeBox->addItem(tr("Multipart fields"), int(BodyMode::Multipart));
    m_modeBox->setToolTip(tr("Edit the body as raw text, as URL-encoded form fields, or as "
                             "multipart/form-data parts"));
    modeLabel->setBuddy(m_modeBox);
    connect(m_modeBox, &QComboBox::activated, this, &MessageEditor::onModeChosen);
    m_note = new QLabel(bodyBox);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    modeLine->addWidget(modeLabel);
    modeLine->addWidget(m_modeBox);
    modeLine->addWidget(m_note, 1);
    bl->addLayout(modeLine);

    m_bodyStack = new QStackedWidget(bodyBox);
    m_text = new QPlainTextEdit(m_bodyStack);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setToolTip(tr("The body as UTF-8 text, decoded from its Content-Encoding"));
    m_bodyStack->addWidget(m_text);
    m_bodyStack->addWidget(tableWithButtons(m_form, &m_formView, tr("field")));
    m_bodyStack->addWidget(partsEditor());
    bl->addWidget(m_bodyStack, 1);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(headersBox);
    split->addWidget(bodyBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_requestLine);
    layout->addWidget(m_statusLine);
    layout->addWidget(split, 1);
    m_statusLine->hide();
}

QWidget* MessageEditor::tableWithButtons(FieldTableModel* model, QTableView** viewOut,
                                         const QString& what)
{
    auto* box = new QWidget(this);
    auto* view = new QTableView(box);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                          QAbstractItemView::AnyKeyPressed);
    view->horizontalHeader()->setStretchLastSection(true);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->setWordWrap(false);
    *viewOut = view;

    auto button = [box](const QString& text, const QString& tip) {
        auto* b = new QToolButton(box);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(false);
        return b;
    };
    QToolButton* add = button(tr("Add"), tr("Add a %1 below the selected row").arg(what));
    QToolButton* remove = button(tr("Remove"), tr("Remove the selected rows"));
    QToolButton* up = button(tr("Up"), tr("Move the selected row up"));
    QToolButton* down = button(tr("Down"), tr("Move the selected row down"));
    auto currentRow = [view] {
        const QModelIndex i = view->currentIndex();
        return i.isValid() ? i.row() : -1;
    };
    connect(add, &QToolButton::clicked, view, [view, model, currentRow] {
        const int at = currentRow() < 0 ? model->rowCount() : currentRow() + 1;
        model->insertRows(at, 1);
        const QModelIndex first = model->index(at, 0);
        view->setCurrentIndex(first);
        view->edit(first);
    });
    connect(remove, &QToolButton::clicked, view, [view, model] {
        QList<int> rows;
        for (const QModelIndex& i : view->selectionModel()->selectedRows())
            rows.append(i.row());
        if (rows.isEmpty() && view->currentIndex().isValid())
            rows.append(view->currentIndex().row());
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (const int r : rows)
            model->removeRows(r, 1);
    });
    connect(up, &QToolButton::clicked, view, [view, model, currentRow] {
        const int r = currentRow();
        if (r > 0 && model->moveRows({}, r, 1, {}, r - 1))
            view->setCurrentIndex(model->index(r - 1, view->currentIndex().column()));
    });
    connect(down, &QToolButton::clicked, view, [view, model, currentRow] {
        const int r = currentRow();
        if (r >= 0 && r + 1 < model->rowCount() && model->moveRows({}, r, 1, {}, r + 2))
            view->setCurrentIndex(model->index(r + 1, view->currentIndex().column()));
    });

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(up);
    buttons->addWidget(down);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view, 1);
    layout->addLayout(buttons);
    return box;
}

QWidget* MessageEditor::partsEditor()
{
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(tableWithButtons(m_parts, &m_partsView, tr("part")));
    m_partValue = new QPlainTextEdit(split);
    m_partValue->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_partValue->setPlaceholderText(tr("The selected part's value"));
    m_partValue->setToolTip(tr("The selected part's value, all of its lines"));
    m_partValue->setEnabled(false);
    split->addWidget(m_partValue);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    connect(m_partsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MessageEditor::showPartValue);
    connect(m_parts, &QAbstractItemModel::modelReset, this, &MessageEditor::showPartValue);
    connect(m_parts, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                const int row = m_partsView->currentIndex().row();
                if (row >= topLeft.row() && row <= bottomRight.row() &&
                    topLeft.column() <= PartValue && PartValue <= bottomRight.column() &&
                    !m_partValue->hasFocus())
                    showPartValue();
            });
    connect(m_partValue, &QPlainTextEdit::textChanged, this, [this] {
        const int row = m_partsView->currentIndex().row();
        if (row < 0 || !m_partValue->isEnabled())
            return;
        const QModelIndex at = m_parts->index(row, PartValue);
        QString text = m_partValue->toPlainText();
        // Lines as the value had them: CRLF when it used CRLF (browsers send textarea values
        // so, HTML's form-data encoding), else as typed.
        if (m_parts->data(at, Qt::EditRole).toString().contains(QStringLiteral("\r\n")))
            text.replace(QLatin1Char('\n'), QStringLiteral("\r\n"));
        m_parts->setData(at, text);
    });
    return split;
}

void MessageEditor::showPartValue()
{
    const int row = m_partsView->currentIndex().row();
    const bool editable = row >= 0 && !m_parts->isBinary(row, PartValue);
    const QSignalBlocker block(m_partValue);
    m_partValue->setEnabled(editable);
    QString text = row < 0 ? QString() : m_parts->data(m_parts->index(row, PartValue)).toString();
    m_partValue->setPlainText(text.replace(QStringLiteral("\r\n"), QStringLiteral("\n")));
}

void MessageEditor::setRequest(const Request& request)
{
    m_isRequest = true;
    m_request = request;
    m_requestLine->show();
    m_statusLine->hide();
    m_method->setCurrentText(QString::fromLatin1(request.method));
    m_url->setText(request.host.isEmpty() ? QString() : QString::fromUtf8(request.url()));
    m_version->setCurrentText(QString::fromLatin1(request.httpVersion));
    loadHeaders(request.headers);
    loadBody(request.body, request.headers);
}

void MessageEditor::setResponse(const Response& response)
{
    m_isRequest = false;
    m_response = response;
    m_requestLine->hide();
    m_statusLine->show();
    m_responseVersion->setCurrentText(QString::fromLatin1(response.httpVersion));
    const QSignalBlocker block(m_status);
    m_status->setValue(response.statusCode);
    m_shownStatus = response.statusCode;
    m_reason->setText(QString::fromLatin1(response.reason));
    loadHeaders(response.headers);
    loadBody(response.body, response.headers);
}

void MessageEditor::loadHeaders(const Headers& headers)
{
    QList<FieldTableModel::Row> rows;
    for (const Headers::Field& f : headers.fields())
        rows.append({f.first, f.second});
    m_headers->setRows(rows);
    m_headersView->resizeColumnToContents(0);
}

void MessageEditor::loadBody(const BodyInfo& body, const Headers& headers)
{
    m_body = body;
    m_decoded = body.content;
    m_codings = ContentCoding::parse(headers.value("content-encoding"));
    m_bodyEditable = true;
    m_bodyReason.clear();
    if (body.streamed) {
        m_bodyEditable = false;
        m_bodyReason = tr("Streamed body (%n byte(s)): it was not recorded, so it cannot be "
                          "edited.",
                          nullptr, int(qMin<qint64>(body.size, INT_MAX)));
    } else if (!m_codings.isEmpty() && !body.content.isEmpty()) {
        const QString names = QString::fromLatin1(m_codings.join(", "));
        if (std::optional<QByteArray> d =
                ContentCoding::decode(m_codings, body.content, DecodedBodyLimit)) {
            m_decoded = *d;
            m_bodyReason = tr("Shown decoded from %1; encoded again when saved.").arg(names);
        } else {
            m_bodyEditable = false;
            m_bodyReason =
                tr("The body could not be decoded from %1: shown as sent, read-only.").arg(names);
        }
    }
    if (m_bodyEditable && m_decoded.size() > EditableBodyLimit) {
        m_bodyEditable = false;
        m_bodyReason = tr("The body is too large to edit here (%1 MiB); it is kept as it is.")
                           .arg(double(m_decoded.size()) / (1 << 20), 0, 'f', 1);
    }

    const QByteArray type = headers.value("content-type");
    const QByteArray media = ContentView::mediaType(type);
    m_boundary = ContentView::parameter(type, "boundary");
    BodyMode mode = BodyMode::Text;
    if (m_bodyEditable && media == "multipart/form-data" && !m_boundary.isEmpty() &&
        FormCodec::parseMultipart(m_decoded, m_boundary))
        mode = BodyMode::Multipart;
    else if (m_bodyEditable && media == "application/x-www-form-urlencoded")
        mode = BodyMode::Form;
    if (m_boundary.isEmpty())
        m_boundary = FormCodec::newBoundary();
    showBodyIn(mode, m_decoded);
    m_modeBox->setEnabled(m_bodyEditable);
}

void MessageEditor::showBodyIn(BodyMode mode, const QByteArray& decoded)
{
    m_mode = mode;
    m_modeBox->setCurrentIndex(m_modeBox->findData(int(mode)));
    m_bodyStack->setCurrentIndex(int(mode));
    switch (mode) {
    case BodyMode::Text: {
        if (decoded.size() > EditableBodyLimit) { // read-only: the beginning is enough
            m_binaryText.clear();
            m_text->setPlainText(QString::fromUtf8(decoded.left(64 << 10)) + QStringLiteral("\n…"));
            m_text->setReadOnly(true);
            break;
        }
        const QString text = QString::fromUtf8(decoded);
        const bool exact = text.toUtf8() == decoded && !decoded.contains('\0');
        m_binaryText = exact ? QByteArray() : decoded;
        m_text->setPlainText(exact ? text : ContentView::hexDump(decoded, EditableBodyLimit));
        m_text->setReadOnly(!m_bodyEditable || !exact);
        break;
    }
    case BodyMode::Form: {
        QList<FieldTableModel::Row> rows;
        for (const FormCodec::Field& f : FormCodec::parseUrlEncoded(decoded))
            rows.append({f.name, f.value});
        m_form->setRows(rows);
        m_formView->resizeColumnToContents(0);
        break;
    }
    case BodyMode::Multipart: {
        const QByteArray boundary =
            ContentView::parameter(editedHeaders().value("content-type"), "boundary");
        QList<FieldTableModel::Row> rows;
        if (auto parts =
                FormCodec::parseMultipart(decoded, boundary.isEmpty() ? m_boundary : boundary)) {
            for (const FormCodec::Part& p : *parts)
                rows.append({p.name, p.filename, p.contentType, p.value});
        }
        m_parts->setRows(rows);
        m_partsView->resizeColumnToContents(PartName);
        if (!rows.isEmpty()) // the value pane shows the first part's value
            m_partsView->setCurrentIndex(m_parts->index(0, PartName));
        break;
    }
    }
    updateNote();
}

void MessageEditor::updateNote()
{
    QString note = m_bodyReason;
    if (m_bodyEditable && m_mode == BodyMode::Text && !m_binaryText.isEmpty()) {
        note += (note.isEmpty() ? QString() : QStringLiteral(" ")) +
                tr("Binary body (%n byte(s)): shown as hex and kept as it is; a form can be "
                   "edited as multipart fields.",
                   nullptr, int(m_binaryText.size()));
    }
    m_note->setText(note); // never hidden: it keeps the mode box at its own width
}

void MessageEditor::onModeChosen(int index)
{
    setBodyMode(BodyMode(m_modeBox->itemData(index).toInt()));
}

void MessageEditor::setBodyMode(BodyMode mode)
{
    if (mode == m_mode || !m_bodyEditable) {
        m_modeBox->setCurrentIndex(m_modeBox->findData(int(m_mode)));
        return;
    }
    Headers headers = editedHeaders();
    const QByteArray body = currentBody(headers);
    const QByteArray media = ContentView::mediaType(headers.value("content-type"));
    // The Content-Type follows the editor, so that what is saved says what it is.
    int typeRow = -1;
    for (int r = 0; r < m_headers->rowCount(); ++r)
        if (equalsIgnoreCase(m_headers->rows()[r].value(0), "content-type"))
            typeRow = r;
    QByteArray newType;
    if (mode == BodyMode::Form && media != "application/x-www-form-urlencoded")
        newType = "application/x-www-form-urlencoded";
    else if (mode == BodyMode::Multipart &&
             (media != "multipart/form-data" ||
              ContentView::parameter(headers.value("content-type"), "boundary").isEmpty()))
        newType = "multipart/form-data; boundary=" + m_boundary;
    if (!newType.isEmpty()) {
        if (typeRow < 0)
            typeRow = m_headers->appendRow({"Content-Type", newType});
        else
            m_headers->setData(m_headers->index(typeRow, 1), QString::fromLatin1(newType));
    }
    showBodyIn(mode, body);
}

Headers MessageEditor::editedHeaders() const
{
    Headers h;
    for (const FieldTableModel::Row& r : m_headers->rows())
        if (!r.value(0).trimmed().isEmpty())
            h.add(r.value(0).trimmed(), r.value(1));
    return h;
}

QByteArray MessageEditor::currentBody(const Headers& headers) const
{
    if (!m_bodyEditable)
        return m_decoded;
    switch (m_mode) {
    case BodyMode::Text:
        return !m_binaryText.isEmpty() ? m_binaryText : m_text->toPlainText().toUtf8();
    case BodyMode::Form: {
        QList<FormCodec::Field> fields;
        for (const FieldTableModel::Row& r : m_form->rows())
            fields.append({r.value(0), r.value(1)});
        return FormCodec::encodeUrlEncoded(fields);
    }
    case BodyMode::Multipart: {
        const QByteArray boundary =
            ContentView::parameter(headers.value("content-type"), "boundary");
        // Parts keep the other header fields they came with, matched by position.
        const auto before = FormCodec::parseMultipart(m_decoded, boundary);
        QList<FormCodec::Part> parts;
        for (const FieldTableModel::Row& r : m_parts->rows()) {
            FormCodec::Part p{r.value(PartName),
                              r.value(PartFilename),
                              r.value(PartContentType),
                              r.value(PartValue),
                              {}};
            if (before && !m_parts->isModified() && parts.size() < before->size())
                p.otherHeaders = (*before)[parts.size()].otherHeaders;
            parts.append(p);
        }
        return FormCodec::encodeMultipart(parts, boundary.isEmpty() ? m_boundary : boundary);
    }
    }
    return m_decoded;
}

bool MessageEditor::finishBody(Headers& headers, BodyInfo& body, bool http1Request,
                               QString* error) const
{
    body = m_body;
    if (!m_bodyEditable)
        return true; // kept as it is, Content-Length included
    const QByteArray decoded = currentBody(headers);
    const QList<QByteArray> codings = ContentCoding::parse(headers.value("content-encoding"));
    if (decoded == m_decoded && codings == m_codings)
        return true; // unchanged: the exact bytes, not compressed again
    QByteArray content = decoded;
    if (!codings.isEmpty()) {
        std::optional<QByteArray> encoded = ContentCoding::encode(codings, decoded);
        if (!encoded) {
            *error = tr("The body cannot be encoded with \"%1\": remove or change the "
                        "Content-Encoding header.")
                         .arg(QString::fromLatin1(codings.join(", ")));
            return false;
        }
        content = *encoded;
    }
    body.content = content;
    body.size = content.size();
    body.streamed = false;
    if (!headers.hasToken("transfer-encoding", "chunked") &&
        (headers.contains("content-length") || (http1Request && !content.isEmpty())))
        headers.set("Content-Length", QByteArray::number(content.size()));
    return true;
}

std::optional<Request> MessageEditor::request(QString* error) const
{
    Request r = m_request;
    r.method = m_method->currentText().trimmed().toLatin1();
    if (!isToken(r.method)) {
        *error = tr("\"%1\" is not a request method.").arg(m_method->currentText());
        return std::nullopt;
    }
    const QByteArray url = m_url->text().trimmed().toUtf8();
    if (!r.setUrl(url)) {
        *error = tr("\"%1\" is not an absolute http or https URL.").arg(m_url->text());
        return std::nullopt;
    }
    r.httpVersion = m_version->currentText().trimmed().toLatin1();
    if (r.httpVersion.isEmpty())
        r.httpVersion = "HTTP/1.1";
    Headers headers = editedHeaders();
    // A new destination goes into the Host header and the authority, as mitmproxy's url setter.
    const QByteArray target = hostPort(r);
    if (r.host != m_request.host || r.port != m_request.port || r.scheme != m_request.scheme) {
        if (headers.contains("host"))
            headers.set("Host", target);
        if (!r.authority.isEmpty())
            r.authority = target;
    }
    if (isHttp1(r.httpVersion) && !headers.contains("host") && r.authority.isEmpty())
        headers.add("Host", target); // HTTP/1.1 requires it (RFC 9112 3.2)
    if (!isHttp1(r.httpVersion) && r.authority.isEmpty())
        r.authority = target;
    if (!finishBody(headers, r.body, isHttp1(r.httpVersion), error))
        return std::nullopt;
    r.headers = headers;
    return r;
}

std::optional<Response> MessageEditor::response(QString* error) const
{
    Response r = m_response;
    r.httpVersion = m_responseVersion->currentText().trimmed().toLatin1();
    if (r.httpVersion.isEmpty())
        r.httpVersion = "HTTP/1.1";
    r.statusCode = m_status->value();
    r.reason = m_reason->text().toLatin1();
    Headers headers = editedHeaders();
    if (!finishBody(headers, r.body, false, error))
        return std::nullopt;
    r.headers = headers;
    return r;
}

} // namespace spyglass
