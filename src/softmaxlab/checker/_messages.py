"""What :func:`softmaxlab.check` says, in English, Simplified and Traditional Chinese.

One catalogue per language with the same keys and the same ``{placeholders}`` (a test checks):

* ``title.<case>`` — what a case checks; ``tol.<kind>`` — its tolerance in words;
* ``reason.<code>`` / ``hint.<code>`` — why a case failed and what to try;
* ``status.*``, ``ui.*`` — the words of the report.

Placeholders receive numbers, shapes, dtypes and code already formatted (language-neutral).
The Chinese texts use full-width punctuation around Chinese words and keep code in ASCII.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LANGUAGES", "MESSAGES", "message", "normalize_lang"]

LANGUAGES = ("en", "zh-Hans", "zh-Hant")

_EN: dict[str, str] = {
    "title.course_example": "The course's example [3, 1, −3] → 0.88, 0.12, 0.00",
    "title.increasing": "Increasing logits [1, 2, 3] → 0.09, 0.24, 0.67",
    "title.large_equal": "Large equal logits [1000, 1000] → 0.5, 0.5",
    "title.large_gap": "Large logits [1000, 1] → 1, 0",
    "title.very_negative": "Very negative logits [−1000, −1001, −1002]",
    "title.ties": "Tied logits [2, 2, −1] get equal probabilities",
    "title.all_equal": "All logits equal [4, 4, 4, 4] → 0.25 each",
    "title.single": "A single logit [7] → 1",
    "title.batch_rows": "A batch of 4 rows × 3 logits: each row sums to 1",
    "title.batch_columns": "The same batch with axis=0: each column sums to 1",
    "title.temperature": "Temperature T = 2 on [1, 2, 3]",
    "title.float32_dtype": "float32 in, float32 out",
    "title.float32_accuracy": "Accuracy on 8 float32 logits",
    "title.float32_large": "float32 logits [100, 0, −100] (exp(100) is beyond float32)",
    "title.sum_to_one": "1000 logits: the probabilities sum to 1 within n·ε",
    "title.input_unchanged": "The input array is left unchanged",
    "title.list_input": "A Python list [3.0, 1.0, −3.0] as input",
    "tol.ulps": "each pᵢ within {ulps} ulps ({dtype}) of the exact value",
    "tol.dtype": "the result has dtype {dtype}",
    "tol.sum": "|Σp − 1| ≤ n·ε = {bound}",
    "tol.unchanged": "the input is bit for bit the same after the call",
    "status.passed": "passed",
    "status.failed": "failed",
    "status.not_applicable": "not applicable",
    "status.not_run": "not run",
    "ui.heading": "Checking {function} against softmaxlab.softmax",
    "ui.summary": "{passed} passed, {failed} failed, {not_applicable} not applicable "
    "({total} cases)",
    "ui.all_passed": "Every applicable case passed.",
    "ui.some_failed": "Some cases failed: read the reasons and hints above.",
    "ui.case": "case",
    "ui.result": "result",
    "ui.detail": "reason and hint",
    "ui.reason_label": "reason: ",
    "ui.hint_label": "hint: ",
    "ui.tolerance_label": "tolerance: ",
    "reason.raised": "Your function raised {error}.",
    "reason.list_raised": "Your function raised {error} when given a Python list.",
    "reason.timeout": "Your function did not return within {seconds} s.",
    "reason.not_run": "Not run: an earlier case did not return, and that call may still be "
    "running.",
    "reason.none": "Your function returned None.",
    "reason.not_numeric": "Your function returned {type}, not an array of numbers.",
    "reason.scalar": "Your function returned one number ({value}) for an input of shape "
    "{expected}.",
    "reason.shape": "Your function returned shape {got} for an input of shape {expected}.",
    "reason.nan": "{count} of {size} results are NaN.",
    "reason.inf": "{count} of {size} results are infinite.",
    "reason.overflow": "exp({x}) overflows to inf in {dtype}, and inf / inf is NaN.",
    "reason.underflow": "Every exp(xᵢ) underflows to 0 in {dtype} (the largest logit is {x}), "
    "so the division is 0 / 0 = NaN.",
    "reason.not_normalised": "The results sum to {total}, not 1.",
    "reason.values": "Entry {index} is {got}; the exact value is {want} ({error} ulps off, "
    "{allowed} allowed).",
    "reason.whole_array": "The whole array sums to 1, but each slice along axis {axis} "
    "should: you normalised over the whole array.",
    "reason.wrong_axis": "The values along axis {got_axis} sum to 1, but softmax along axis "
    "{axis} was asked for: you normalised the wrong axis.",
    "reason.temp_multiplied": "The result equals softmax(x · T): the logits were multiplied "
    "by T = {t} instead of divided by it.",
    "reason.temp_ignored": "The result equals softmax(x): the temperature T = {t} was ignored.",
    "reason.ties": "Equal logits got different probabilities ({a} and {b}).",
    "reason.precision": "The results are only {got}-accurate for a float64 input (entry "
    "{index} is {error} ulps off).",
    "hint.precision": "Compute in float64: np.asarray(x, dtype=float) for a list (a torch "
    "tensor made from a list is float32 unless you pass dtype=torch.float64).",
    "reason.dtype": "float32 input came back as {got}.",
    "reason.mutated": "Your function changed its input: it was {before}, after the call it "
    "is {after}.",
    "reason.sum": "|Σp − 1| = {deviation}, more than n·ε = {bound}.",
    "reason.na_temperature": "Not applicable: your function has no temperature keyword ({names}).",
    "reason.na_axis": "Not applicable: your function has no axis keyword ({names}).",
    "hint.raised": "Call your function yourself on {input} and read the traceback.",
    "hint.list_raised": "Start with x = np.asarray(x, dtype=float), so that lists work too.",
    "hint.timeout": "Look for a loop that never ends. A call that does not return is left "
    "running in the background until Python exits, and the cases after it are not run.",
    "hint.not_run": "Fix the case that did not return, then check again.",
    "hint.none": "Did you forget the return statement?",
    "hint.not_numeric": "Return a NumPy array of probabilities, for example e / e.sum().",
    "hint.scalar": "Softmax gives one probability per logit: return exp(x) divided by the "
    "sum, not the sum itself.",
    "hint.shape": "Keep the input's shape: sum with keepdims=True and divide; do not flatten "
    "or index the result.",
    "hint.nan": "Run each step (exponentiate, sum, divide) on {input} and see where the "
    "first NaN appears.",
    "hint.inf": "Run each step (exponentiate, sum, divide) on {input} and see where inf appears.",
    "hint.overflow": "Subtract the maximum first: exp(x − max(x)) gives the same "
    "probabilities and never overflows.",
    "hint.underflow": "Subtract the maximum first: after the shift the largest term is "
    "exp(0) = 1, so the sum is never 0.",
    "hint.not_normalised": "Divide every exp by the same sum of all the exps, computed after "
    "the same shift.",
    "hint.values": "Compare each step with softmaxlab.softmax({input}); the formula is "
    "exp(xᵢ) / Σⱼ exp(xⱼ).",
    "hint.whole_array": "Reduce along the last axis only: e.sum(axis=-1, keepdims=True), and "
    "the maximum the same way.",
    "hint.wrong_axis": "Use the axis asked for: e.sum(axis={axis}, keepdims=True), and the "
    "maximum along the same axis.",
    "hint.temp_multiplied": "Divide the logits by the temperature: softmax(x / T).",
    "hint.temp_ignored": "Divide the logits by the temperature before the exponential: "
    "softmax(x / T).",
    "hint.ties": "Compute every entry the same way; equal logits must give exactly equal "
    "probabilities.",
    "hint.dtype": "Keep the input's dtype: np.exp of a float32 array stays float32; do not "
    "mix in float64 arrays, or cast back with .astype(x.dtype).",
    "hint.mutated": "Do not write into x (x -= ..., np.exp(x, out=x)); compute a new array, "
    "for example z = x - x.max().",
    "hint.sum": "Divide by the sum of all the exps, and do not round the results.",
    "hint.na_temperature": "Optional: add a temperature=1.0 keyword and divide the logits by it.",
    "hint.na_axis": "Optional: add an axis=-1 keyword and use it for the maximum and the sum.",
}

_ZH_HANS: dict[str, str] = {
    "title.course_example": "课程中的例子 [3, 1, −3] → 0.88、0.12、0.00",
    "title.increasing": "递增的 logits [1, 2, 3] → 0.09、0.24、0.67",
    "title.large_equal": "很大且相等的 logits [1000, 1000] → 0.5、0.5",
    "title.large_gap": "很大的 logits [1000, 1] → 1、0",
    "title.very_negative": "非常负的 logits [−1000, −1001, −1002]",
    "title.ties": "相同的 logits [2, 2, −1] 得到相同的概率",
    "title.all_equal": "全部相等 [4, 4, 4, 4] → 每个 0.25",
    "title.single": "只有一个 logit [7] → 1",
    "title.batch_rows": "一批 4 行 × 3 个 logits：每一行之和为 1",
    "title.batch_columns": "同一批数据取 axis=0：每一列之和为 1",
    "title.temperature": "温度 T = 2，输入 [1, 2, 3]",
    "title.float32_dtype": "输入 float32，输出也是 float32",
    "title.float32_accuracy": "8 个 float32 logits 的精度",
    "title.float32_large": "float32 logits [100, 0, −100]（exp(100) 超出 float32 范围）",
    "title.sum_to_one": "1000 个 logits：概率之和与 1 相差不超过 n·ε",
    "title.input_unchanged": "输入数组保持不变",
    "title.list_input": "以 Python 列表 [3.0, 1.0, −3.0] 作为输入",
    "tol.ulps": "每个 pᵢ 与精确值相差不超过 {ulps} ulp（{dtype}）",
    "tol.dtype": "结果的 dtype 为 {dtype}",
    "tol.sum": "|Σp − 1| ≤ n·ε = {bound}",
    "tol.unchanged": "调用后输入逐位不变",
    "status.passed": "通过",
    "status.failed": "未通过",
    "status.not_applicable": "不适用",
    "status.not_run": "未运行",
    "ui.heading": "以 softmaxlab.softmax 为参照检查 {function}",
    "ui.summary": "{passed} 项通过，{failed} 项未通过，{not_applicable} 项不适用（共 {total} 项）",
    "ui.all_passed": "所有适用的测试项都通过了。",
    "ui.some_failed": "有测试项未通过：请阅读上面的原因和提示。",
    "ui.case": "测试项",
    "ui.result": "结果",
    "ui.detail": "原因与提示",
    "ui.reason_label": "原因：",
    "ui.hint_label": "提示：",
    "ui.tolerance_label": "容差：",
    "reason.raised": "你的函数抛出了 {error}。",
    "reason.list_raised": "输入 Python 列表时，你的函数抛出了 {error}。",
    "reason.timeout": "你的函数在 {seconds} 秒内没有返回。",
    "reason.not_run": "未运行：前面有一项没有返回，那次调用可能仍在运行。",
    "reason.none": "你的函数返回了 None。",
    "reason.not_numeric": "你的函数返回了 {type}，而不是数值数组。",
    "reason.scalar": "输入形状为 {expected}，你的函数却只返回了一个数（{value}）。",
    "reason.shape": "输入形状为 {expected}，你的函数返回的形状却是 {got}。",
    "reason.nan": "{size} 个结果中有 {count} 个是 NaN。",
    "reason.inf": "{size} 个结果中有 {count} 个是无穷大。",
    "reason.overflow": "在 {dtype} 中 exp({x}) 溢出为 inf，而 inf / inf 是 NaN。",
    "reason.underflow": "在 {dtype} 中每个 exp(xᵢ) 都下溢为 0（最大的 logit 是 {x}），"
    "所以除法成了 0 / 0 = NaN。",
    "reason.not_normalised": "结果之和是 {total}，而不是 1。",
    "reason.values": "第 {index} 项是 {got}，精确值是 {want}（相差 {error} ulp，"
    "允许 {allowed} ulp）。",
    "reason.whole_array": "整个数组之和为 1，但应当是沿 axis {axis} 的每一片之和为 1："
    "你对整个数组做了归一化。",
    "reason.wrong_axis": "沿 axis {got_axis} 的值之和为 1，但要求的是沿 axis {axis} 的 softmax："
    "你归一化了错误的轴。",
    "reason.temp_multiplied": "结果等于 softmax(x · T)：logits 被乘以 T = {t}，而不是除以它。",
    "reason.temp_ignored": "结果等于 softmax(x)：温度 T = {t} 被忽略了。",
    "reason.ties": "相等的 logits 得到了不同的概率（{a} 和 {b}）。",
    "reason.precision": "输入是 float64，"
    "结果却只有 {got} 的精度（第 {index} 项相差 {error} ulp）。",
    "hint.precision": "用 float64 计算：列表请用 np.asarray(x, dtype=float)（由列表创建的 torch "
    "张量默认是 float32，除非指定 dtype=torch.float64）。",
    "reason.dtype": "float32 输入返回后变成了 {got}。",
    "reason.mutated": "你的函数修改了输入：调用前是 {before}，调用后是 {after}。",
    "reason.sum": "|Σp − 1| = {deviation}，超过了 n·ε = {bound}。",
    "reason.na_temperature": "不适用：你的函数没有温度关键字参数（{names}）。",
    "reason.na_axis": "不适用：你的函数没有 axis 关键字参数（{names}）。",
    "hint.raised": "自己用 {input} 调用你的函数，并阅读报错信息。",
    "hint.list_raised": "先写 x = np.asarray(x, dtype=float)，这样列表也能用。",
    "hint.timeout": "检查是否有永不结束的循环。没有返回的调用会在后台一直运行到 Python 退出，"
    "其后的测试项不会运行。",
    "hint.not_run": "先修好没有返回的那一项，再检查一次。",
    "hint.none": "是不是忘了写 return？",
    "hint.not_numeric": "返回一个概率组成的 NumPy 数组，例如 e / e.sum()。",
    "hint.scalar": "softmax 为每个 logit 给出一个概率：返回 exp(x) 除以总和，而不是总和本身。",
    "hint.shape": "保持输入的形状：用 keepdims=True 求和再相除；不要展平或索引结果。",
    "hint.nan": "用 {input} 逐步运行（取指数、求和、相除），看第一个 NaN 出现在哪一步。",
    "hint.inf": "用 {input} 逐步运行（取指数、求和、相除），看 inf 出现在哪一步。",
    "hint.overflow": "先减去最大值：exp(x − max(x)) 给出相同的概率，而且永远不会溢出。",
    "hint.underflow": "先减去最大值：平移后最大的一项是 exp(0) = 1，所以总和永远不会是 0。",
    "hint.not_normalised": "每个 exp 都要除以同一个总和，而这个总和要在同样的平移之后计算。",
    "hint.values": "把每一步与 softmaxlab.softmax({input}) 对照；公式是 exp(xᵢ) / Σⱼ exp(xⱼ)。",
    "hint.whole_array": "只沿最后一个轴求和：e.sum(axis=-1, keepdims=True)，最大值也同样求。",
    "hint.wrong_axis": "使用要求的轴：e.sum(axis={axis}, keepdims=True)，最大值也沿同一个轴求。",
    "hint.temp_multiplied": "把 logits 除以温度：softmax(x / T)。",
    "hint.temp_ignored": "在取指数之前把 logits 除以温度：softmax(x / T)。",
    "hint.ties": "每一项都用同样的方式计算；相等的 logits 必须得到完全相同的概率。",
    "hint.dtype": "保持输入的 dtype：float32 数组的 np.exp 仍是 float32；不要混入 float64 数组，"
    "或用 .astype(x.dtype) 转换回来。",
    "hint.mutated": "不要写入 x（x -= ...、np.exp(x, out=x)）；计算一个新数组，"
    "例如 z = x - x.max()。",
    "hint.sum": "除以所有 exp 的总和，并且不要对结果取整。",
    "hint.na_temperature": "可选：加上关键字参数 temperature=1.0，并把 logits 除以它。",
    "hint.na_axis": "可选：加上关键字参数 axis=-1，并在求最大值和求和时使用它。",
}

_ZH_HANT: dict[str, str] = {
    "title.course_example": "課程中的例子 [3, 1, −3] → 0.88、0.12、0.00",
    "title.increasing": "遞增的 logits [1, 2, 3] → 0.09、0.24、0.67",
    "title.large_equal": "很大且相等的 logits [1000, 1000] → 0.5、0.5",
    "title.large_gap": "很大的 logits [1000, 1] → 1、0",
    "title.very_negative": "非常負的 logits [−1000, −1001, −1002]",
    "title.ties": "相同的 logits [2, 2, −1] 得到相同的機率",
    "title.all_equal": "全部相等 [4, 4, 4, 4] → 每個 0.25",
    "title.single": "只有一個 logit [7] → 1",
    "title.batch_rows": "一批 4 列 × 3 個 logits：每一列的總和為 1",
    "title.batch_columns": "同一批資料取 axis=0：每一行的總和為 1",
    "title.temperature": "溫度 T = 2，輸入 [1, 2, 3]",
    "title.float32_dtype": "輸入 float32，輸出也是 float32",
    "title.float32_accuracy": "8 個 float32 logits 的精確度",
    "title.float32_large": "float32 logits [100, 0, −100]（exp(100) 超出 float32 範圍）",
    "title.sum_to_one": "1000 個 logits：機率總和與 1 相差不超過 n·ε",
    "title.input_unchanged": "輸入陣列保持不變",
    "title.list_input": "以 Python 串列 [3.0, 1.0, −3.0] 作為輸入",
    "tol.ulps": "每個 pᵢ 與精確值相差不超過 {ulps} ulp（{dtype}）",
    "tol.dtype": "結果的 dtype 為 {dtype}",
    "tol.sum": "|Σp − 1| ≤ n·ε = {bound}",
    "tol.unchanged": "呼叫後輸入逐位元不變",
    "status.passed": "通過",
    "status.failed": "未通過",
    "status.not_applicable": "不適用",
    "status.not_run": "未執行",
    "ui.heading": "以 softmaxlab.softmax 為參照檢查 {function}",
    "ui.summary": "{passed} 項通過，{failed} 項未通過，{not_applicable} 項不適用（共 {total} 項）",
    "ui.all_passed": "所有適用的測試項都通過了。",
    "ui.some_failed": "有測試項未通過：請閱讀上面的原因與提示。",
    "ui.case": "測試項",
    "ui.result": "結果",
    "ui.detail": "原因與提示",
    "ui.reason_label": "原因：",
    "ui.hint_label": "提示：",
    "ui.tolerance_label": "容許誤差：",
    "reason.raised": "你的函式拋出了 {error}。",
    "reason.list_raised": "輸入 Python 串列時，你的函式拋出了 {error}。",
    "reason.timeout": "你的函式在 {seconds} 秒內沒有回傳。",
    "reason.not_run": "未執行：前面有一項沒有回傳，那次呼叫可能仍在執行。",
    "reason.none": "你的函式回傳了 None。",
    "reason.not_numeric": "你的函式回傳了 {type}，而不是數值陣列。",
    "reason.scalar": "輸入形狀為 {expected}，你的函式卻只回傳了一個數（{value}）。",
    "reason.shape": "輸入形狀為 {expected}，你的函式回傳的形狀卻是 {got}。",
    "reason.nan": "{size} 個結果中有 {count} 個是 NaN。",
    "reason.inf": "{size} 個結果中有 {count} 個是無窮大。",
    "reason.overflow": "在 {dtype} 中 exp({x}) 溢位為 inf，而 inf / inf 是 NaN。",
    "reason.underflow": "在 {dtype} 中每個 exp(xᵢ) 都下溢為 0（最大的 logit 是 {x}），"
    "所以除法成了 0 / 0 = NaN。",
    "reason.not_normalised": "結果的總和是 {total}，而不是 1。",
    "reason.values": "第 {index} 項是 {got}，精確值是 {want}（相差 {error} ulp，"
    "容許 {allowed} ulp）。",
    "reason.whole_array": "整個陣列的總和為 1，但應該是沿 axis {axis} 的每一片總和為 1："
    "你對整個陣列做了正規化。",
    "reason.wrong_axis": "沿 axis {got_axis} 的值總和為 1，但要求的是沿 axis {axis} 的 softmax："
    "你正規化了錯誤的軸。",
    "reason.temp_multiplied": "結果等於 softmax(x · T)：logits 被乘以 T = {t}，而不是除以它。",
    "reason.temp_ignored": "結果等於 softmax(x)：溫度 T = {t} 被忽略了。",
    "reason.ties": "相等的 logits 得到了不同的機率（{a} 和 {b}）。",
    "reason.precision": "輸入是 float64，"
    "結果卻只有 {got} 的精確度（第 {index} 項相差 {error} ulp）。",
    "hint.precision": "用 float64 計算：串列請用 np.asarray(x, dtype=float)（由串列建立的 torch "
    "張量預設是 float32，除非指定 dtype=torch.float64）。",
    "reason.dtype": "float32 輸入回傳後變成了 {got}。",
    "reason.mutated": "你的函式修改了輸入：呼叫前是 {before}，呼叫後是 {after}。",
    "reason.sum": "|Σp − 1| = {deviation}，超過了 n·ε = {bound}。",
    "reason.na_temperature": "不適用：你的函式沒有溫度關鍵字參數（{names}）。",
    "reason.na_axis": "不適用：你的函式沒有 axis 關鍵字參數（{names}）。",
    "hint.raised": "自己用 {input} 呼叫你的函式，並閱讀錯誤訊息。",
    "hint.list_raised": "先寫 x = np.asarray(x, dtype=float)，這樣串列也能用。",
    "hint.timeout": "檢查是否有永不結束的迴圈。沒有回傳的呼叫會在背景一直執行到 Python 結束，"
    "其後的測試項不會執行。",
    "hint.not_run": "先修好沒有回傳的那一項，再檢查一次。",
    "hint.none": "是不是忘了寫 return？",
    "hint.not_numeric": "回傳一個由機率組成的 NumPy 陣列，例如 e / e.sum()。",
    "hint.scalar": "softmax 為每個 logit 給出一個機率：回傳 exp(x) 除以總和，而不是總和本身。",
    "hint.shape": "保持輸入的形狀：用 keepdims=True 求和再相除；不要攤平或索引結果。",
    "hint.nan": "用 {input} 逐步執行（取指數、求和、相除），看第一個 NaN 出現在哪一步。",
    "hint.inf": "用 {input} 逐步執行（取指數、求和、相除），看 inf 出現在哪一步。",
    "hint.overflow": "先減去最大值：exp(x − max(x)) 給出相同的機率，而且永遠不會溢位。",
    "hint.underflow": "先減去最大值：平移後最大的一項是 exp(0) = 1，所以總和永遠不會是 0。",
    "hint.not_normalised": "每個 exp 都要除以同一個總和，而這個總和要在同樣的平移之後計算。",
    "hint.values": "把每一步與 softmaxlab.softmax({input}) 對照；公式是 exp(xᵢ) / Σⱼ exp(xⱼ)。",
    "hint.whole_array": "只沿最後一個軸求和：e.sum(axis=-1, keepdims=True)，最大值也同樣求。",
    "hint.wrong_axis": "使用要求的軸：e.sum(axis={axis}, keepdims=True)，最大值也沿同一個軸求。",
    "hint.temp_multiplied": "把 logits 除以溫度：softmax(x / T)。",
    "hint.temp_ignored": "在取指數之前把 logits 除以溫度：softmax(x / T)。",
    "hint.ties": "每一項都用同樣的方式計算；相等的 logits 必須得到完全相同的機率。",
    "hint.dtype": "保持輸入的 dtype：float32 陣列的 np.exp 仍是 float32；不要混入 float64 陣列，"
    "或用 .astype(x.dtype) 轉換回來。",
    "hint.mutated": "不要寫入 x（x -= ...、np.exp(x, out=x)）；計算一個新陣列，"
    "例如 z = x - x.max()。",
    "hint.sum": "除以所有 exp 的總和，並且不要對結果取整。",
    "hint.na_temperature": "可選：加上關鍵字參數 temperature=1.0，並把 logits 除以它。",
    "hint.na_axis": "可選：加上關鍵字參數 axis=-1，並在求最大值與求和時使用它。",
}

MESSAGES: dict[str, dict[str, str]] = {"en": _EN, "zh-Hans": _ZH_HANS, "zh-Hant": _ZH_HANT}
"""Every text of the report, by language and key."""

_ALIASES = {
    "en": "en",
    "zh-hans": "zh-Hans",
    "zh_hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-hant": "zh-Hant",
    "zh_hant": "zh-Hant",
    "zh-tw": "zh-Hant",
}


def normalize_lang(lang: object) -> str | None:
    """``'zh-Hans'`` for ``'zh_hans'``, ``'ZH-CN'`` …; None for a language not offered."""
    if not isinstance(lang, str):
        return None
    return _ALIASES.get(lang.strip().lower())


def message(lang: str, key: str, **fields: Any) -> str:
    """The text ``key`` in ``lang`` (one of :data:`LANGUAGES`) with its placeholders filled."""
    return MESSAGES[lang][key].format(**fields)
