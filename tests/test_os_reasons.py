"""Reasons from the operating system are printed in lower case like every other reason blurscan gives
(``errors.os_reason``): a file that cannot be opened in a scan's error record, a model path that cannot be read
said ``No such file or directory`` / ``Is a directory``."""
from __future__ import annotations

import pytest

from blurscan.errors import ModelError, os_reason


def test_os_reason_is_the_systems_words_in_lower_case():
    assert os_reason(FileNotFoundError(2, "No such file or directory", "x")) == "no such file or directory"
    assert os_reason(OSError("Something Odd")) == "something odd"  # no strerror: the text


def test_a_model_path_that_cannot_be_read_is_said_in_lower_case(tmp_path):
    from blurscan.model.runtime import Classifier

    folder = tmp_path / "m.onnx"
    folder.mkdir()  # a folder where the model file should be
    with pytest.raises(ModelError) as err:
        Classifier(folder)
    assert str(err.value) == f"{folder}: cannot read model file (is a directory)", err.value


def test_a_file_the_scan_cannot_open_is_said_in_lower_case(tmp_path):
    from blurscan.fileread import _os_error

    err = _os_error(str(tmp_path / "x.jpg"), FileNotFoundError(2, "No such file or directory"), "cannot open")
    assert str(err).endswith("cannot open: no such file or directory"), err
