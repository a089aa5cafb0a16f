#pragma once
// map_local (mitmproxy `addons/maplocal.py`): "[/FILTER]/URL-REGEX/PATH". In the `request`
// hook, a request whose URL matches is answered from a local file, without any upstream
// connection: PATH itself when it is a file; when it is a directory, the part of the URL after
// the match (or the regex's first group), without the query, percent-decoded, names the file
// inside it, with DIR/index.html for an empty part and PART/index.html for a directory. The
// content type is guessed from the file name. When no candidate exists the answer is 404.
//
// Path traversal: a candidate whose real path (symlinks and ".." resolved) is not inside PATH
// is never served, so "/static/../../etc/passwd" gets the 404.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "addons/flow_spec.h"

#include <QRegularExpression>
#include <QStringList>
#include <vector>

namespace spyglass::addons {

class MapLocal : public Addon
{
public:
    struct Spec
    {
        FlowSpec spec;
        QRegularExpression regex;
        QString localPath; // absolute, ~ expanded
        static std::optional<Spec> parse(const QString& text, QString* error);
    };

    QString name() const override { return QStringLiteral("map_local"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;

    // The files that may answer `url` under `spec`, in order of preference (the spec's regex
    // is known to match).
    static QStringList candidates(const QString& url, const Spec& spec);

private:
    ConfigSlot<std::vector<Spec>> m_specs;
};

} // namespace spyglass::addons
