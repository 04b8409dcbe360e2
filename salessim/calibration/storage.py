"""Where a study is stored: its journal file in its folder, or an RDB that workers share.

A study's folder holds one study, in one storage: the folder's record (salessim.outputs,
study_in_folder) names them, and a command naming another study, or another storage for the
same name, is refused before Hydra writes to the folder. A storage URL is checked (its form, its
driver, then whether it opens) before the folder is made, and shown without its password.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import optuna

from salessim.config import CalibrationConfig
from salessim.errors import ConfigError, UserError, refuse_a_name_too_long
from salessim.folder_claim import HYDRA_RECORD
from salessim.interrupt import caused_by_interrupt
from salessim.outputs import (JOURNAL, MANIFEST, is_sweep_folder, journal_storage, study_in_folder,
                              write_text_atomic)

STORAGE_EXAMPLE = "postgresql://user:password@host/db"
STORAGE_ALLOWED = f"an RDB URL Optuna can open, e.g. {STORAGE_EXAMPLE}"
# The package that installs a database driver SQLAlchemy imports, where its name differs.
DRIVER_PACKAGES = {"psycopg2": "psycopg2-binary", "MySQLdb": "mysqlclient", "pymysql": "PyMySQL",
                   "cx_Oracle": "cx-Oracle", "pyodbc": "pyodbc", "psycopg": "psycopg[binary]"}


def _parsed(url: str):
    """SQLAlchemy's reading of a storage URL. SQLAlchemy is imported for a database URL alone:
    it took 0.15-0.28 s of the start of every study, most of which keep a journal file."""
    from sqlalchemy.engine import make_url
    return make_url(url)


def url_shown(url: str | None) -> str | None:
    """A storage URL as messages and records show it: its password as ***."""
    if not url:
        return url
    from sqlalchemy.exc import ArgumentError
    try:
        return _parsed(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url  # not a URL: it holds no password SQLAlchemy could find


def keep_password_out_of_record(record: Path | None, typed: object) -> str | None:
    """Hydra writes its record of the command (``record``: .hydra/config.yaml, hydra.yaml,
    overrides.yaml) with the storage URL as ``typed``, before the study starts; a study's folder is
    shared for its fit and report, so the URL's password is replaced there by ***, as messages
    show it. The folder's record still names the storage (url_shown compares them), so the same
    command resumes the study. A URL read from an environment variable, ${oc.env:VAR}, is recorded
    as that and needs nothing. Returns the file still holding the password (quoted by Hydra in a
    way the URL's text does not match), for the command to say; None when none does."""
    if record is None or not isinstance(typed, str) or "${" in typed:
        return None
    shown = url_shown(typed)
    if shown == typed:
        return None
    # The URL's user and password as typed (userinfo): what must not stay in the record
    userinfo = typed.partition("://")[2].partition("/")[0].rpartition("@")[0]
    left = None
    for name in sorted(HYDRA_RECORD):
        path = record / name
        try:
            text = path.read_text()
        except OSError:  # none written (hydra.output_subdir=null)
            continue
        if typed in text:
            text = text.replace(typed, shown)
            try:
                write_text_atomic(text, path)
            except OSError:
                left = left or str(path)
                continue
        if f"{userinfo}@" in text:
            left = left or str(path)
    return left


def _refused(url: str, allowed: str) -> ConfigError:
    return ConfigError("calibration.storage", url_shown(url), allowed)


def check_storage_url(url: str | None) -> None:
    """A malformed URL, a database kind SQLAlchemy has no dialect for, or one whose driver is not
    installed, is refused by preflight, before Hydra creates the run folder."""
    if not url:
        return
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError
    try:
        parsed = _parsed(url)
        dialect = parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as e:
        raise _refused(url, f"{STORAGE_ALLOWED} ({str(e).replace(url, url_shown(url))})") from None
    # SQLAlchemy 2 names it import_dbapi; 1.4 (which Optuna accepts) and some third-party
    # dialects have only dbapi(): their driver is then found when the study opens its storage.
    import_dbapi = getattr(dialect, "import_dbapi", None)
    try:
        if import_dbapi is not None:
            import_dbapi()
    except NotImplementedError:
        pass
    except ImportError as e:
        module = getattr(e, "name", None) or str(e)
        raise _refused(url, f"{STORAGE_ALLOWED}: its driver, the Python module {module}, is not "
                       f"installed (pip install '{DRIVER_PACKAGES.get(module, module)}')") from None
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:":
        return
    # The system refuses even to look such a name up (Path.exists raises)
    refuse_a_name_too_long(database, "calibration.storage's SQLite file", "a file name the system can hold")
    try:
        # SQLite opens the file a link points to: that file's folder must exist (a dangling link
        # passed, and the run then failed after Hydra had made the study's folder)
        file = Path(os.path.realpath(database))
        linked = f" ({database} links to {file})" if file != Path(os.path.abspath(database)) else ""
        if not file.parent.is_dir():
            raise _refused(url, f"{STORAGE_ALLOWED}; a SQLite file in a folder that exists{linked}")
        # A new file is made by the run, not opened here (existing_study): can it be?
        if not file.exists() and not os.access(file.parent, os.W_OK):
            raise _refused(url, f"{STORAGE_ALLOWED}; a SQLite file in a folder that can be written{linked}")
    except OSError as e:  # a path longer than the system allows, and the like
        raise _refused(url, f"{STORAGE_ALLOWED}; a SQLite file the system can look up "
                       f"({e.strerror or e})") from None


def storage_for(url: str | None, folder: Path):
    """Embedded journal file by default (a killed study resumes with nothing lost), else an RDB
    URL (postgresql://..., sqlite:///...) that several workers share. An RDB that cannot be
    opened is refused in one line, its password hidden."""
    if url:
        return _rdb(url)
    folder.mkdir(parents=True, exist_ok=True)
    return journal_storage(folder / JOURNAL)


def _rdb(url: str):
    # Workers that start together race to create the schema of a new database; the loser finds it
    # made and simply connects again. Other errors cannot pass on a retry, so they are said at once.
    from sqlalchemy.exc import IntegrityError, OperationalError
    for attempt in range(5):
        try:
            return optuna.storages.RDBStorage(url)
        except (IntegrityError, OperationalError) as e:
            if attempt == 4:
                raise cannot_open(url, e) from None
            time.sleep(0.5 + attempt)
        except Exception as e:
            if caused_by_interrupt(e):
                raise  # Ctrl-C, which salessim-calibrate says in a line of its own
            raise cannot_open(url, e) from None


def cannot_open(url: str | None, error: Exception) -> UserError:
    """The storage ``url`` (None: the study folder's journal file) could not be opened: ``error``,
    password hidden."""
    said = " ".join(str(error).split())
    if not url:  # no URL was given: the journal is the study folder's own file
        return UserError(f"the study's journal file ({JOURNAL} in its folder) could not be opened "
                         f"({_first_sentence(said)}); check that the folder can be written, or store the "
                         f"study elsewhere: calibration.storage=URL, e.g. {STORAGE_EXAMPLE}")
    password = _parsed(url).password
    if password:
        said = said.replace(str(password), "***")
    # Optuna's word for tables it did not make, whose advice (update Optuna) does not help
    foreign = (" The database holds tables of another program or of another Optuna version: give the "
               "study a database of its own." if "compatible with the table schema" in said else "")
    return _refused(url, f"{STORAGE_ALLOWED} ({_first_sentence(said)}{foreign})")


def _first_sentence(text: str, most: int = 160) -> str:
    """``text`` cut for a one-line error: its first sentence, or its words up to ``most``
    characters and '...' (a cut at 160 characters had ended Optuna's advice mid-command)."""
    end = text.find(". ")
    if 0 < end < most:
        return text[:end + 1]
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + " ..."


def _new_sqlite_file(url: str) -> bool:
    """Whether ``url`` names a SQLite file that does not exist yet (opening would create it)."""
    parsed = _parsed(url)
    return (parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
            and not Path(parsed.database).exists())


def existing_study(cal: CalibrationConfig, folder: Path) -> optuna.Study | None:
    """The study ``cal.name`` as stored, if it exists, so that a command can be checked against it
    before Hydra writes to the folder: a journal is read, nothing written (nor the folder made);
    a database is opened (which refuses one that cannot be), but a SQLite file that does not exist
    yet holds no study, and is left for the run to create."""
    if cal.storage:
        if _new_sqlite_file(cal.storage):
            return None
        storage = _rdb(cal.storage)
    elif (folder / JOURNAL).is_file():
        storage = journal_storage(folder / JOURNAL)
    else:
        return None
    try:
        return optuna.load_study(study_name=cal.name, storage=storage)
    except Exception:  # no such study yet, or a journal the run itself will report on
        return None


def _refuse_a_runs_folder(folder: Path, allowed: str) -> None:
    if (folder / MANIFEST).exists() or is_sweep_folder(folder):
        raise ConfigError("hydra.run.dir", str(folder), f"{allowed}; this one holds a salessim run's "
                          "or sweep's results, which this command's files would overwrite")


# The files a study's run writes at its end, its fit and its tables (docs/calibration.md, section 4)
FIT_FILES = ("calibrated.yaml", "fit.csv", "parameter_spread.csv", "trials.csv", "fit_report.html")
# The files by which a folder holds a study: its trials, its fit as calibrated.yaml (a score has none)
STUDY_FILES = (JOURNAL, "calibrated.yaml", "trials.csv")


# Where a study's folder is when hydra.run.dir is left out (configs/calibrate.yaml)
DEFAULT_STUDY_ROOT = "results/calibration"


def refuse_a_studys_folder(folder: Path, cal: CalibrationConfig) -> None:
    """A score (calibration.free=[]) writes fit.csv and fit_report.html into its folder: not into a
    study's, whose fit they would replace beside its calibrated.yaml and trials, nor a run's."""
    allowed = "a calibration.name of its own for a score (calibration.free=[] fits nothing)"
    _refuse_a_runs_folder(folder, allowed)
    if not any((folder / f).exists() for f in STUDY_FILES):
        return
    held = study_in_folder(folder)
    name = cal.name if held is None else held[0]
    if folder.resolve() != (Path(DEFAULT_STUDY_ROOT) / cal.name).resolve():
        # a folder typed as hydra.run.dir: another name would not move the score out of it (a walk)
        raise ConfigError("hydra.run.dir", str(folder), f"a folder of the score's own (leave hydra.run.dir "
                          f"out for {DEFAULT_STUDY_ROOT}/{cal.name}); this one holds the study {name!r}, "
                          "whose fit the score would replace")
    raise ConfigError("calibration.name", cal.name, f"{allowed}: {folder} holds the study {name!r}, "
                      f"whose fit the score would replace (e.g. calibration.name={cal.name}_score)")


def refuse_another_study_folder(folder: Path, cal: CalibrationConfig) -> None:
    """The study folder ``folder`` (hydra.run.dir) holds no salessim run, nor another study, nor
    this study's name in another storage: the command would overwrite their fit and tables."""
    allowed = (f"a folder for study {cal.name!r} alone (leave hydra.run.dir out for "
               f"{DEFAULT_STUDY_ROOT}/{cal.name})")
    _refuse_a_runs_folder(folder, allowed)
    if (folder / "fit.csv").exists() and not any((folder / f).exists() for f in STUDY_FILES):
        raise ConfigError("calibration.name", cal.name, f"a calibration.name of its own for the study: "
                          f"{folder} holds a score (calibration.free=[]), whose fit.csv the study would "
                          f"replace (e.g. calibration.name={cal.name}_study)")
    held = study_in_folder(folder)
    if held is None:
        return
    name, storage = held
    if name != cal.name and "${" not in name:  # one recorded unresolved (study_in_folder) may be it
        raise ConfigError("hydra.run.dir", str(folder), f"{allowed}; this one holds study {name!r}, "
                          "whose fit and trials this study's would overwrite")
    if url_shown(storage) != url_shown(cal.storage) and "${" not in str(storage):
        where = (f"calibration.storage={url_shown(storage)}" if storage else
                 "its journal file, calibration.storage=null")
        raise ConfigError("calibration.storage", url_shown(cal.storage) if cal.storage else None,
                          f"the storage of study {name!r}, which {folder} holds: {where} (resume it "
                          "there; for a new study in this storage, a new calibration.name)")
