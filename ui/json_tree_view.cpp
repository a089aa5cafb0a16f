#include "json_tree_view.h"

#include <QHeaderView>

namespace spyglass {

namespace {

// Recursive descent over the bytes, building items as it goes. Depth is bounded so that a
// hostile "[[[[..." cannot exhaust the stack.
class Builder
{
public:
    Builder(QByteArrayView data, int maxNodes) : m_data(data), m_maxNodes(maxNodes) {}

    bool parse(QTreeWidgetItem* root)
    {
        skipSpace();
        if (!value(root, QString(), 0))
            return false;
        skipSpace();
        if (m_pos != m_data.size())
            return fail(JsonTreeView::tr("unexpected data after the document"));
        return true;
    }

    QString error;
    int nodes = 0;

private:
    static constexpr int kMaxDepth = 200;

    bool fail(const QString& what)
    {
        if (error.isEmpty())
            error = JsonTreeView::tr("offset %1: %2").arg(m_pos).arg(what);
        return false;
    }
    void skipSpace()
    {
        while (m_pos < m_data.size() && (m_data[m_pos] == ' ' || m_data[m_pos] == '\n' ||
                                         m_data[m_pos] == '\r' || m_data[m_pos] == '\t'))
            ++m_pos;
    }
    bool peek(char c) const { return m_pos < m_data.size() && m_data[m_pos] == c; }

    QTreeWidgetItem* item(QTreeWidgetItem* parent, const QString& key, const QString& value,
                          const QString& type)
    {
        ++nodes;
        if (nodes == m_maxNodes + 1) {
            auto* more = new QTreeWidgetItem(parent);
            more->setText(0, JsonTreeView::tr("…"));
            more->setText(
                1, JsonTreeView::tr("the rest is not shown (more than %1 values)").arg(m_maxNodes));
        }
        if (nodes > m_maxNodes)
            return nullptr;
        auto* it = new QTreeWidgetItem(parent);
        it->setText(0, key);
        it->setText(1, value);
        it->setText(2, type);
        return it;
    }

    bool string(QString* out)
    {
        if (!peek('"'))
            return fail(JsonTreeView::tr("expected a string"));
        QByteArray bytes;
        for (++m_pos; m_pos < m_data.size(); ++m_pos) {
            const char c = m_data[m_pos];
            if (c == '"') {
                ++m_pos;
                *out = QString::fromUtf8(bytes);
                return true;
            }
            if (c != '\\') {
                bytes += c;
                continue;
            }
            if (++m_pos >= m_data.size())
                break;
            switch (m_data[m_pos]) {
            case 'n':
                bytes += '\n';
                break;
            case 't':
                bytes += '\t';
                break;
            case 'r':
                bytes += '\r';
                break;
            case 'b':
                bytes += '\b';
                break;
            case 'f':
                bytes += '\f';
                break;
            case 'u': {
                if (m_pos + 4 >= m_data.size())
                    return fail(JsonTreeView::tr("bad \\u escape"));
                bool ok = false;
                const uint code = m_data.sliced(m_pos + 1, 4).toByteArray().toUInt(&ok, 16);
                if (!ok)
                    return fail(JsonTreeView::tr("bad \\u escape"));
                bytes += QString(QChar(char16_t(code))).toUtf8();
                m_pos += 4;
                break;
            }
            default:
                bytes += m_data[m_pos];
                break;
            }
        }
        return fail(JsonTreeView::tr("unterminated string"));
    }

    bool value(QTreeWidgetItem* parent, const QString& key, int depth)
    {
        if (depth > kMaxDepth)
            return fail(JsonTreeView::tr("nested too deeply"));
        skipSpace();
        if (m_pos >= m_data.size())
            return fail(JsonTreeView::tr("unexpected end"));
        const char c = m_data[m_pos];
        if (c == '{' || c == '[') {
            const bool object = c == '{';
            QTreeWidgetItem* node =
                item(parent, key, QString(),
                     object ? JsonTreeView::tr("object") : JsonTreeView::tr("array"));
            ++m_pos;
            skipSpace();
            int count = 0;
            const char close = object ? '}' : ']';
            if (peek(close)) {
                ++m_pos;
            } else {
                while (true) {
                    QString childKey = QString::number(count);
                    skipSpace();
                    if (object) {
                        if (!string(&childKey))
                            return false;
                        skipSpace();
                        if (!peek(':'))
                            return fail(JsonTreeView::tr("expected ':'"));
                        ++m_pos;
                    }
                    if (!value(node ? node : parent, childKey, depth + 1))
                        return false;
                    ++count;
                    skipSpace();
                    if (peek(',')) {
                        ++m_pos;
                        continue;
                    }
                    if (peek(close)) {
                        ++m_pos;
                        break;
                    }
                    if (m_pos >= m_data.size())
                        return fail(JsonTreeView::tr("unexpected end"));
                    return fail(JsonTreeView::tr("expected ',' or '%1'").arg(QLatin1Char(close)));
                }
            }
            if (node)
                node->setText(1, object ? JsonTreeView::tr("{%n key(s)}", nullptr, count)
                                        : JsonTreeView::tr("[%n item(s)]", nullptr, count));
            return true;
        }
        if (c == '"') {
            QString s;
            if (!string(&s))
                return false;
            item(parent, key, s, JsonTreeView::tr("string"));
            return true;
        }
        const qsizetype start = m_pos;
        while (m_pos < m_data.size() && !QByteArrayView(",]} \n\r\t").contains(m_data[m_pos]))
            ++m_pos;
        const QByteArray literal = m_data.sliced(start, m_pos - start).toByteArray();
        QString type;
        if (literal == "true" || literal == "false")
            type = JsonTreeView::tr("boolean");
        else if (literal == "null")
            type = JsonTreeView::tr("null");
        else {
            bool ok = false;
            literal.toDouble(&ok);
            if (!ok) {
                m_pos = start;
                return fail(JsonTreeView::tr("not a JSON value"));
            }
            type = JsonTreeView::tr("number");
        }
        item(parent, key, QString::fromLatin1(literal), type);
        return true;
    }

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    int m_maxNodes;
};

} // namespace

JsonTreeView::JsonTreeView(QWidget* parent) : QTreeWidget(parent)
{
    setColumnCount(3);
    setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    header()->resizeSection(0, 220);
    header()->resizeSection(1, 360);
}

bool JsonTreeView::setJson(QByteArrayView json, QString* error)
{
    clear();
    auto* root = new QTreeWidgetItem;
    Builder builder(json, kMaxNodes);
    const bool ok = builder.parse(root);
    m_nodes = ok ? builder.nodes : 0;
    if (!ok) {
        delete root;
        if (error)
            *error = builder.error;
        return false;
    }
    const QList<QTreeWidgetItem*> top = root->takeChildren();
    delete root;
    addTopLevelItems(top);
    for (QTreeWidgetItem* it : top)
        it->setExpanded(true);
    return true;
}

} // namespace spyglass
