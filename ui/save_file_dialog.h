#pragma once
// The Save dialog for captures (File > Save As…, Save selected / filtered flows…): one
// file-type filter per format FlowFileWriter writes (Spyglass session, HAR, mitmproxy flows,
// Charles JSON session). The format follows the file name when it ends in a known extension,
// else the chosen filter, whose extension is then added. resolve() is that rule on its own,
// so it is tested without a modal dialog.

#include "io/flow_file_writer.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>

class QWidget;

namespace spyglass {

class SaveFileDialog
{
    Q_DECLARE_TR_FUNCTIONS(SaveFileDialog)
public:
    struct Choice
    {
        QString path;
        FlowFileWriter::Format format = FlowFileWriter::Format::Session;
    };

    // The filter text of `format` ("mitmproxy flows (*.mitm *.flows *.flow *.dump)").
    static QString filter(FlowFileWriter::Format format);
    // Every filter, in FlowFileWriter::AllFormats order, joined for QFileDialog.
    static QString filters();
    // What the dialog returned (path, the selected filter's text) made into a path and format.
    static Choice resolve(const QString& path, const QString& selectedFilter);
    // Asks for a file; nothing when cancelled. `preselected` is the filter chosen at first.
    static std::optional<Choice> ask(QWidget* parent, const QString& title, const QString& dir,
                                     FlowFileWriter::Format preselected);
};

} // namespace spyglass
