#pragma once
// A JSON body as a collapsible tree (key, value, type), the "JSON tree" content view. Parsed
// here in document order, which QJsonDocument does not keep (it sorts object keys). Bounded:
// past kMaxNodes the rest of the document is summarised, so a huge body cannot freeze the pane.

#include <QTreeWidget>

namespace spyglass {

class JsonTreeView : public QTreeWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxNodes = 50000;

    explicit JsonTreeView(QWidget* parent = nullptr);

    // Replaces the tree. False (and an empty tree) when `json` is not a JSON document;
    // `error` then says where it stopped making sense.
    bool setJson(QByteArrayView json, QString* error = nullptr);
    int nodeCount() const { return m_nodes; }

private:
    int m_nodes = 0;
};

} // namespace spyglass
