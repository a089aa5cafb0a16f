#pragma once
// The filter bar: a line edit that takes the filter language (filter/filter.h) and checks it
// as the user types. A bad expression turns the field red, with the parser's message as its
// tooltip and the caret left alone; a good one is handed on after a short pause, so a
// million-row view is not refiltered on every keystroke.

#include "filter/filter.h"

#include <QLineEdit>

class QTimer;

namespace spyglass {

class FilterBar : public QLineEdit
{
    Q_OBJECT
public:
    explicit FilterBar(QWidget* parent = nullptr);

    // Whether the current text parses (the empty text does: it matches every flow).
    bool isValid() const { return m_valid; }
    QString errorMessage() const { return m_error; }
    // The last valid filter (the one in effect).
    const filter::Filter& currentFilter() const { return m_filter; }
    // Sets the text and hands the filter on at once (no pause), if it is valid.
    void setExpression(const QString& expression);

Q_SIGNALS:
    void filterChanged(const spyglass::filter::Filter& filter);

private:
    void validate();
    void emitFilter();
    static QString operatorHelp();

    QTimer* m_timer;
    filter::Filter m_filter;
    filter::Filter m_pending;
    bool m_valid = true;
    QString m_error;
};

} // namespace spyglass
