// Feeds the run dashboard's Eval tab (EvalView) from the server and carries out its intents:
// for the current run and the checkpoint picked, the eval's state (EvalList: a running eval
// is followed again, a finished one is fetched), Launch (EvalLauncher, then EvalFollower for
// the progress), Cancel (the eval's process group is stopped on the server), and the
// verified download of the eval's results, actions and videos into the local eval cache
// (EvalCache: HOST/RUN/checkpoint-N), with each video's state in the results table; the
// results are read as the command that made them wrote them (LocalEvalResults), and a
// preset's own fields are offered with this host's remembered values. The eval
// itself runs detached: closing the workbench or losing the connection leaves it running,
// and attaching again follows it from its events.
#pragma once

#include "EvalCache.h"
#include "EvalCommandPreset.h"
#include "EvalFollower.h"
#include "EvalLaunchOptions.h"
#include "Result.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <vector>

namespace rdt {

class EvalDownloader;
class EvalLauncher;
class EvalList;
class EvalView;
class RunStopper;
class SshClient;
struct EvalInfo;

class EvalController : public QObject {
    Q_OBJECT
public:
    explicit EvalController(EvalView *view, QObject *parent = nullptr);
    ~EvalController() override;

    void setCache(const EvalCache &cache);   // tests: a temporary root
    void setTrainer(const QString &trainer) { m_trainer = trainer; }
    QString trainer() const { return m_trainer; }

    // `host` names the server in the local cache (HOST/RUN/checkpoint-N).
    void attach(SshClient *client, const QString &remoteRoot, const QString &host);
    void detach();   // the connection is gone: server work stops, the eval goes on there
    void setRun(const QString &run);

    QString run() const { return m_run; }
    QString checkpoint() const { return m_checkpoint; }
    QString localFolder() const;
    bool isEvalRunning() const;
    bool isDownloading() const;

Q_SIGNALS:
    void evalEnded(const QString &checkpoint, const QString &error);   // error empty: done
    void downloadFinished(const QString &checkpoint, const rdt::Error &error);

private:
    void showCheckpoint(const QString &checkpoint, bool askServer = true);
    void refreshFromServer();
    void onListed();
    void launch(const EvalLaunchOptions &options);
    void onLaunched();
    void follow();
    void cancel();
    void onStopped();
    void download();
    void onPlanned();
    void onFileStarted(const QString &path);
    void onFileArrived(const QString &path);
    void onDownloaded();
    bool loadLocalResults();
    void showCommandFields(const QString &presetName);
    void ended(const QString &error);
    void refreshCacheSize();

    EvalView *m_view;
    EvalCache m_cache;
    QString m_trainer = QStringLiteral("rdt-trainer");
    QPointer<SshClient> m_client;
    QString m_root;
    QString m_host;
    QString m_run;
    QString m_checkpoint;
    EvalLauncher *m_launcher = nullptr;
    EvalFollower m_follower;
    RunStopper *m_stopper = nullptr;
    EvalList *m_list = nullptr;
    EvalDownloader *m_downloader = nullptr;
    std::vector<EvalCommandPreset> m_presets;   // the eval commands on offer
    QHash<QString, int> m_videoRows;   // "videos/..." -> results table row
    int m_total = -1;
    bool m_resultsAreTrainers = true;   // the results on show came from rdt-trainer eval
};

} // namespace rdt
