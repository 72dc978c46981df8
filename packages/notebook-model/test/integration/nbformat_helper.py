"""Ground truth from Python's nbformat/papermill for notebook-model tests.

Reads one JSON request on stdin, writes one JSON answer on stdout.
"""

import copy
import io
import json
import sys
import warnings

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output, new_raw_cell

warnings.simplefilter("ignore")


def write(nb):
    out = io.StringIO()
    nbformat.write(nb, out)
    return out.getvalue()


def apply_op(nb, op):
    kind = op["op"]
    has_ids = nb.nbformat_minor >= 5
    if kind == "replace_source":
        nb.cells[op["index"]].source = op["source"]
    elif kind == "insert":
        maker = {"code": new_code_cell, "markdown": new_markdown_cell, "raw": new_raw_cell}[op["cell_type"]]
        cell = maker(op["source"])
        if has_ids:
            cell.id = op["id"]
        else:
            del cell["id"]
        nb.cells.insert(op["index"], cell)
    elif kind == "delete":
        for i in sorted(op["indices"], reverse=True):
            del nb.cells[i]
    elif kind == "move":
        cell = nb.cells.pop(op["from"])
        nb.cells.insert(op["to"], cell)
    elif kind == "change_type":
        cell = nb.cells[op["index"]]
        if op["cell_type"] == "code":
            cell.pop("attachments", None)
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        cell.cell_type = op["cell_type"]
    elif kind == "clear_outputs":
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
    elif kind == "set_outputs":
        cell = nb.cells[op["index"]]
        cell.outputs = [new_output(**o) for o in op["outputs"]]
        cell.execution_count = op["execution_count"]
    elif kind == "set_tags":
        nb.cells[op["index"]].metadata["tags"] = op["tags"]
    elif kind == "metadata":
        nb.metadata[op["key"]] = op["value"]
    elif kind == "upgrade":
        nb.nbformat_minor = 5
        for cell, cid in zip(nb.cells, op["ids"]):
            cell.id = cid
    else:
        raise ValueError(kind)


def rich_notebook(minor):
    from nbformat.v4 import new_notebook

    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": "3.12.0"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {"model_name": "FloatSlider", "state": {
            "value": 1.0, "max": 1e16, "min": -0.0, "step": 1e-05, "big": 12345678901234567890123,
            "nan": float("nan"), "inf": float("inf"), "ninf": float("-inf")}}}, "version_major": 2, "version_minor": 0}},
        "floats": [0.1, 2.5e-7, 1e300, 3.0, 100.0, 1e22, 5e-324, 1.7976931348623157e308, 123456789.125],
        "ints": [0, -1, 9007199254740993, -9007199254740993],
        "unicode": "\u00e9\u4e2d\U0001f600 \u2028 \x7f",
        "\U0001f600key": 1, "\uff01key": 2, "Zkey": 3, "akey": 4,
    })
    nb.cells = [
        new_markdown_cell("# Title\n\u00fcn\u00efc\u00f6d\u00e9 \u2713 \U0001f600\r\nline\u2028sep\x0bvt\x0cff\x1cfs\x1dgs\x1ers\x85nel\u2029ps\rcr",
                          attachments={"a.png": {"image/png": "iVBORw0KGgo=\n", "text/plain": "a\nb"}}),
        new_code_cell("import math\nprint('hi')\n", execution_count=3, outputs=[
            new_output("stream", name="stdout", text="hi\nthere\n"),
            new_output("stream", name="stderr", text="warn\r\nx"),
            new_output("execute_result", data={"text/plain": "1.0\n2", "application/json": {"a": 1.0, "b": [1, 2.5, 1e-05]},
                                              "image/svg+xml": "<svg>\n</svg>", "image/png": "AAAA\nBBBB\n",
                                              "application/javascript": "x;\ny;"},
                       execution_count=3, metadata={"isolated": True}),
            new_output("display_data", data={"text/html": "<b>x</b>", "application/vnd.custom+json": {"x": [1.0]}},
                       metadata={"image/png": {"width": 640.0, "height": 480}}),
            new_output("error", ename="ValueError", evalue='bad "x"', traceback=["\x1b[31mTraceback\x1b[0m", "line 2"]),
        ]),
        new_raw_cell("raw\ttab \\ backslash \x01ctrl \"quotes\" </script>"),
        new_code_cell(""),
        new_code_cell("x = 1\n\n\n", execution_count=None),
        new_markdown_cell("no newline at end"),
    ]
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.cells[1].metadata["scrolled"] = False
    nb.cells[1].metadata["collapsed"] = True
    nb.cells[4].metadata["jupyter"] = {"source_hidden": True}
    nb.cells[4].metadata["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00.000000Z"}
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i}"
    nb.nbformat_minor = minor
    if minor < 5:
        for c in nb.cells:
            del c["id"]
    return write(nb)


def random_notebook(rng, minor):
    from nbformat.v4 import new_notebook

    chars = "ab \n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u00e9\u4e2d\U0001f600\\\"/\x00\x1f\x7f{}[],:"

    def text(n=12):
        return "".join(rng.choice(chars) for _ in range(rng.randint(0, n)))

    def number():
        k = rng.randint(0, 5)
        if k == 0:
            return rng.randint(-10**20, 10**20)
        if k == 1:
            return float(rng.randint(-10**6, 10**6))
        if k == 2:
            return rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)
        if k == 3:
            return rng.choice([0.0, -0.0, 1e16, 1e-5, 1e-4, 1e15, 0.1, 123456789012345680.0])
        return rng.randint(-1000, 1000)

    def value(d=0):
        k = rng.randint(0, 5 if d < 3 else 2)
        if k == 0:
            return number()
        if k == 1:
            return text()
        if k == 2:
            return rng.choice([True, False, None])
        if k == 3:
            return [value(d + 1) for _ in range(rng.randint(0, 3))]
        return {text(6): value(d + 1) for _ in range(rng.randint(0, 3))}

    nb = new_notebook(metadata={text(5): value() for _ in range(3)})
    for i in range(rng.randint(1, 6)):
        kind = rng.choice(["code", "markdown", "raw"])
        if kind == "code":
            c = new_code_cell(text(40), execution_count=rng.choice([None, rng.randint(0, 99)]))
            for _ in range(rng.randint(0, 3)):
                t = rng.choice(["stream", "display_data", "execute_result", "error"])
                if t == "stream":
                    c.outputs.append(new_output("stream", name="stdout", text=text(30)))
                elif t == "error":
                    c.outputs.append(new_output("error", ename=text(5), evalue=text(5), traceback=[text(10)]))
                else:
                    data = {"text/plain": text(20), "application/json": value(), "text/markdown": text(10)}
                    extra = {"execution_count": rng.randint(0, 9)} if t == "execute_result" else {}
                    c.outputs.append(new_output(t, data=data, metadata={text(4): value()}, **extra))
        elif kind == "markdown":
            c = new_markdown_cell(text(40))
        else:
            c = new_raw_cell(text(40))
        c.metadata = {text(4): value()}
        c.id = f"c{i}-" + "".join(rng.choice("abcdef0123456789-_") for _ in range(6))
        nb.cells.append(c)
    nb.nbformat_minor = minor
    if minor < 5:
        for c in nb.cells:
            del c["id"]
    return write(nb)


def handle(req):
    action = req["action"]
    if action == "roundtrip":
        # nbformat load + write of each text
        return [write(nbformat.reads(t, as_version=nbformat.NO_CONVERT)) for t in req["texts"]]
    elif action == "generate":
        import random

        rng = random.Random(req.get("seed", 7))
        texts = [rich_notebook(5), rich_notebook(4), rich_notebook(0)]
        texts += [random_notebook(rng, rng.choice([0, 4, 5])) for _ in range(req.get("random", 50))]
        return texts
    elif action == "ops":
        results = []
        for op in req["ops"]:
            nb = nbformat.reads(req["text"], as_version=nbformat.NO_CONVERT)
            apply_op(nb, op)
            results.append(write(nb))
        return results
    elif action == "validate":
        errors = []
        for t in req["texts"]:
            try:
                nb = json.loads(t)
                nbformat.validate(nb, version=4, version_minor=nb["nbformat_minor"])
                errors.append(None)
            except Exception as e:  # noqa: BLE001
                errors.append(f"{type(e).__name__}: {str(e)[:500]}")
        return errors
    elif action == "float_repr":
        # Python json's text for each float given as a hex-encoded double
        import struct

        out = []
        for h in req["hex"]:
            x = struct.unpack(">d", bytes.fromhex(h))[0]
            out.append(json.dumps(x))
        return out
    elif action == "papermill":
        from papermill.parameterize import parameterize_notebook

        def inject(nb, item, params):
            nb = parameterize_notebook(nb, params, kernel_name=item.get("kernel_name"), language=item.get("language"))
            idx = next(i for i, c in enumerate(nb.cells) if "injected-parameters" in c.metadata.get("tags", []))
            cell = nb.cells[idx]
            return nb, {"index": idx, "source": cell.source, "metadata": cell.metadata,
                        "papermill": copy.deepcopy(nb.metadata.papermill), "ncells": len(nb.cells)}

        results = []
        for item in req["requests"]:
            nb = nbformat.reads(item["text"], as_version=nbformat.NO_CONVERT)
            nb.metadata.setdefault("papermill", {})
            for c in nb.cells:  # as papermill's load_notebook_node does
                c.metadata.setdefault("tags", [])
            params = dict(item["params"])
            for k, v in item.get("float_params", {}).items():
                params[k] = float(v)
            nb, first = inject(nb, item, params)
            if "again" in item:
                _, first["again"] = inject(nb, item, item["again"])
            results.append(first)
        return results
    elif action == "exec":
        # Execute Python sources, return repr() of the resulting globals (minus builtins).
        out = []
        for src in req["sources"]:
            g = {}
            exec(src, g)  # noqa: S102
            out.append({k: repr(v) for k, v in g.items() if k != "__builtins__"})
        return out
    else:
        raise ValueError(action)


def main():
    if sys.argv[1:] == ["serve"]:
        # One JSON request per stdin line, one JSON answer per stdout line.
        for line in sys.stdin:
            try:
                answer = {"ok": handle(json.loads(line))}
            except Exception as e:  # noqa: BLE001
                answer = {"error": f"{type(e).__name__}: {e}"}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    else:
        print(json.dumps(handle(json.load(sys.stdin))))


if __name__ == "__main__":
    main()
