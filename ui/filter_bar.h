#pragma once
// The filter bar: a line edit that takes the filter language (filter/filter.h) and checks it
// as the user types. A bad expression turns the field red, with the parser's message as its
// tooltip and the caret left alone; a good one is handed on after a short pause, so a
// million-row view is not refiltered on every keystroke.
//
// History: an expression is remembered when the user applies it (Enter) or leaves the field
// with it in place; the last 20, newest first, in QSettings under historyKey(), so two bars
// (the filter and the highlight) keep their own. Up and Down walk it; the field's history
// button lists it. Completion: typing `~` (or any prefix of an operator) at the caret pops
// up the matching operators of Filter::operators() with their one-line help; choosing one
// replaces the word at the caret.

#include "filter/filter.h"

#include <QLineEdit>

class QCompleter;
class QMenu;
class QStandardItemModel;
class QTimer;

namespace spyglass {

class FilterBar : public QLineEdit
{
    Q_OBJECT
public:
    static constexpr int MaxHistory = 20;

    explicit FilterBar(QWidget* parent = nullptr);
    // The QSettings key of this bar's history (default "filterBar/history"); reloads it.
    void setHistoryKey(const QString& key);
    QString historyKey() const { return m_historyKey; }
    // Newest first, at most MaxHistory.
    QStringList history() const { return m_history; }
    // Puts a (valid, non-empty) expression at the front of the history and saves it.
    void addToHistory(const QString& expression);
    void clearHistory();
    QCompleter* operatorCompleter() const { return m_completer; }
    // The menu the history button shows (built afresh each time; tests trigger its actions).
    QMenu* historyMenu();

    // Whether the current text parses (the empty text does: it matches every flow).
    bool isValid() const { return m_valid; }
    QString errorMessage() const { return m_error; }
    // The last valid filter (the one in effect).
    const filter::Filter& currentFilter() const { return m_filter; }
    // Sets the text and hands the filter on at once (no pause), if it is valid.
    void setExpression(const QString& expression);

Q_SIGNALS:
    void filterChanged(const spyglass::filter::Filter& filter);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void validate();
    void rememberCurrent();
    void updateCompletion();
    void insertCompletion(const QString& op);
    // [start, end) of the word at the caret, for completion.
    std::pair<int, int> wordAtCursor() const;
    void walkHistory(int step);
    void emitFilter();
    static QString operatorHelp();

    QTimer* m_timer;
    filter::Filter m_filter;
    filter::Filter m_pending;
    bool m_valid = true;
    QString m_error;
    QString m_historyKey;
    QStringList m_history;
    int m_historyPos = -1; // while walking with Up/Down: the entry shown
    QStandardItemModel* m_operators;
    QCompleter* m_completer;
};

} // namespace spyglass
