// Where downloaded evals live on this machine: one folder per host / run / checkpoint
// under the user's cache (~/.cache/rdt-workbench/evals/HOST/RUN/checkpoint-N), holding the
// eval folder's files as on the server (results.json, actions/, videos/). Reopening an eval
// reads what is here; the sync fetches only what is missing or changed. The Eval view shows
// the cache's size and clears it.
#pragma once

#include "Result.h"

#include <QString>

namespace rdt {

class EvalCache {
public:
    // `root` empty: the user's cache folder (GenericCacheLocation/rdt-workbench/evals).
    explicit EvalCache(QString root = {});

    const QString &root() const { return m_root; }
    // The local folder of one eval; refused when a part is empty, "." or "..", or holds a
    // '/' (each part becomes exactly one folder, never a way out of the cache).
    [[nodiscard]] Result<QString> folder(const QString &host, const QString &run, const QString &checkpoint) const;

    // Bytes under the root, or under one host / run when given.
    qint64 sizeBytes(const QString &host = {}, const QString &run = {}) const;
    // Removes everything under the root, or under one host / run.
    [[nodiscard]] Result<void> clear(const QString &host = {}, const QString &run = {}) const;

private:
    [[nodiscard]] Result<QString> scope(const QString &host, const QString &run) const;

    QString m_root;
};

} // namespace rdt
