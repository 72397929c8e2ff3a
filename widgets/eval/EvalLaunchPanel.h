// The top of the Eval view: which checkpoint (the best by sample MSE preselected), which
// eval command and its own fields, which episodes, the exec horizon, EMA or raw weights,
// whether to record videos; Launch, then progress per episode and Cancel while the eval runs.
#pragma once

#include "EvalLaunchOptions.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace rdt {

class CheckpointTableModel;
class EvalFieldsForm;

class EvalLaunchPanel : public QWidget {
    Q_OBJECT
public:
    explicit EvalLaunchPanel(QWidget *parent = nullptr);

    // Follows the run's checkpoint table: keeps the user's pick while it still exists,
    // else picks the best (lowest sample MSE), else the newest.
    void setCheckpointModel(const CheckpointTableModel *model);
    QString selectedCheckpoint() const;
    void selectCheckpoint(const QString &name);

    // The eval commands on offer (EvalCommandPresets' names), the trainer's first and
    // chosen; hidden while there is only that one.
    void setCommandNames(const QStringList &names);
    // The chosen preset's own fields (EvalFieldsForm::setFields); none hides the form.
    void setCommandFields(const QStringList &names, const EvalCommandValues &defaults, const EvalCommandValues &values);
    // Which of the panel's options the chosen eval command reads; the others are disabled
    // and say so (a server's script has no --episodes, most no {weights}).
    void setOptionsUsed(bool episodes, bool execHorizon, bool weights, bool recordVideo);
    EvalLaunchOptions options() const;
    void setRunning(bool running);
    bool isRunning() const { return m_running; }
    // done of total episodes; `detail` says the last one ("demo_3: MSE 0.012").
    void setProgress(int done, int total, const QString &detail);
    void setStatus(const QString &text, bool isError);
    QString statusText() const;

    QComboBox *checkpointBox() const { return m_checkpoint; }
    QComboBox *commandBox() const { return m_command; }
    // The chosen preset's own fields; the controller fills it on commandChanged().
    EvalFieldsForm *fieldsForm() const { return m_fields; }
    QPushButton *launchButton() const { return m_launch; }
    QPushButton *cancelButton() const { return m_cancel; }

signals:
    void launchRequested(const rdt::EvalLaunchOptions &options);
    void cancelRequested();
    void checkpointChanged(const QString &checkpoint);
    void commandChanged(const QString &preset);   // empty: the trainer's eval

private:
    void refillCheckpoints();
    void refreshInputs();

    const CheckpointTableModel *m_model = nullptr;
    QComboBox *m_checkpoint = nullptr;
    QComboBox *m_command = nullptr;
    QLabel *m_commandLabel = nullptr;
    EvalFieldsForm *m_fields = nullptr;
    QLabel *m_fieldsLabel = nullptr;
    QLineEdit *m_episodes = nullptr;
    QSpinBox *m_execHorizon = nullptr;
    QComboBox *m_weights = nullptr;
    QCheckBox *m_recordVideo = nullptr;
    QPushButton *m_launch = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    bool m_running = false;
    bool m_episodesUsed = true;
    bool m_execHorizonUsed = true;
    bool m_weightsUsed = true;
    bool m_recordVideoUsed = true;
};

} // namespace rdt
