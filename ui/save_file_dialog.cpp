#include "save_file_dialog.h"

#include <QFileDialog>

namespace spyglass {

QString SaveFileDialog::filter(FlowFileWriter::Format format)
{
    using F = FlowFileWriter::Format;
    const QString patterns = FlowFileWriter::patterns(format);
    switch (format) {
    case F::Session:
        return tr("Spyglass sessions (%1)").arg(patterns);
    case F::Har:
        return tr("HAR files (%1)").arg(patterns);
    case F::Mitmproxy:
        return tr("mitmproxy flows (%1)").arg(patterns);
    case F::Charles:
        return tr("Charles JSON sessions (%1)").arg(patterns);
    }
    return patterns;
}

QString SaveFileDialog::filters()
{
    QStringList all;
    for (FlowFileWriter::Format f : FlowFileWriter::AllFormats)
        all.append(filter(f));
    return all.join(QStringLiteral(";;"));
}

SaveFileDialog::Choice SaveFileDialog::resolve(const QString& path, const QString& selectedFilter)
{
    for (FlowFileWriter::Format f : FlowFileWriter::AllFormats) {
        if (FlowFileWriter::hasExtension(path, f))
            return {path, f};
    }
    FlowFileWriter::Format chosen = FlowFileWriter::Format::Session;
    for (FlowFileWriter::Format f : FlowFileWriter::AllFormats) {
        if (selectedFilter == filter(f))
            chosen = f;
    }
    return {path + QLatin1Char('.') + FlowFileWriter::extensions(chosen).constFirst(), chosen};
}

std::optional<SaveFileDialog::Choice> SaveFileDialog::ask(QWidget* parent, const QString& title,
                                                          const QString& dir,
                                                          FlowFileWriter::Format preselected)
{
    QString selected = filter(preselected);
    const QString path = QFileDialog::getSaveFileName(parent, title, dir, filters(), &selected);
    if (path.isEmpty())
        return std::nullopt;
    return resolve(path, selected);
}

} // namespace spyglass
