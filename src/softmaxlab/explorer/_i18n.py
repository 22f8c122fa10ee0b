"""Every string the explorer shows, in English, 简体中文 and 繁體中文.

The explorer never hard-codes a user-visible sentence: it asks :func:`t` for one by key. Keys
are grouped by tab (``sm.`` Softmax, ``cmp.`` Compare, ``prec.`` Precision, ``grad.``
Gradients, ``err.`` messages about bad entries). Placeholders use :meth:`str.format` syntax
and are the same in the three languages (a test checks this).

The language follows the browser's locale (``Accept-Language``) unless the page or the
command line chooses one: ``zh``, ``zh-CN``, ``zh-SG`` and ``zh-Hans`` map to 简体中文,
``zh-TW``, ``zh-HK``, ``zh-MO`` and ``zh-Hant`` to 繁體中文, anything else to English.

Examples
--------
>>> resolve_locale("zh-TW")
'zh-Hant'
>>> resolve_locale("zh-sg")
'zh-Hans'
>>> locale_from_accept_language("fr-CH, zh-HK;q=0.9, en;q=0.8")
'zh-Hant'
>>> t("tab.precision", "zh-Hans")
'数值精度'
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant")
"""The languages of the explorer, as BCP 47 tags."""

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
"""Each language's name in itself (what the language switch shows)."""

_HANS = ("zh", "zh-cn", "zh-sg", "zh-hans", "zh-my")
_HANT = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


def resolve_locale(tag: str | None) -> str | None:
    """Map one BCP 47 language tag to an explorer language, or None if it is not supported.

    ``zh-Hans-CN``, ``zh_CN`` and ``ZH-cn`` are understood; a script subtag wins over a
    region (``zh-Hant-CN`` is 繁體).

    Examples
    --------
    >>> [resolve_locale(x) for x in ["en-GB", "zh", "zh-Hant-CN", "zh_HK", "fr", None]]
    ['en', 'zh-Hans', 'zh-Hant', 'zh-Hant', None, None]
    """
    if not tag:
        return None
    norm = tag.strip().replace("_", "-").lower()
    if norm in ("en",) or norm.startswith("en-"):
        return "en"
    if norm != "zh" and not norm.startswith("zh-"):
        return None
    parts = norm.split("-")
    if "hant" in parts:
        return "zh-Hant"
    if "hans" in parts:
        return "zh-Hans"
    if any(norm == h or norm.startswith(h + "-") for h in _HANT):
        return "zh-Hant"
    return "zh-Hans"


def locale_from_accept_language(header: str | None, default: str = "en") -> str:
    """Pick the explorer language from an HTTP ``Accept-Language`` header.

    Entries are taken by decreasing quality; the first one :func:`resolve_locale` knows wins.

    Examples
    --------
    >>> locale_from_accept_language("de-DE,de;q=0.9,zh-CN;q=0.8")
    'zh-Hans'
    >>> locale_from_accept_language("")
    'en'
    """
    if not header:
        return default
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        fields = item.strip().split(";")
        quality = 1.0
        for field in fields[1:]:
            field = field.strip()
            if field.startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, fields[0].strip()))
    for _, _, tag in sorted(ranked):
        lang = resolve_locale(tag)
        if lang is not None:
            return lang
    return default


def normalize_lang(lang: str | None, default: str = "en") -> str:
    """Return ``lang`` as one of :data:`LANGUAGES` (unknown or empty gives ``default``)."""
    if lang in LANGUAGES:
        return str(lang)
    resolved = resolve_locale(lang)
    return resolved if resolved is not None else default


# key -> (English, 简体中文, 繁體中文)
_S: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ page
    "app.title": ("softmaxlab explorer", "softmaxlab 探索器", "softmaxlab 探索器"),
    "app.intro": (
        "Play with softmax: move the sliders, change the temperature, try the presets. "
        "Every number on this page is computed by softmaxlab's own functions.",
        "动手玩 softmax：拖动滑块、改变温度、试试预设。"
        "本页的每个数字都由 softmaxlab 自己的函数计算。",
        "動手玩 softmax：拖動滑桿、改變溫度、試試預設。"
        "本頁的每個數字都由 softmaxlab 自己的函式計算。",
    ),
    "app.language": ("Language", "语言", "語言"),
    "tab.softmax": ("Softmax", "Softmax", "Softmax"),
    "tab.compare": ("Compare", "对比", "比較"),
    "tab.precision": ("Precision", "数值精度", "數值精度"),
    "tab.gradients": ("Gradients", "梯度", "梯度"),
    # ------------------------------------------------------------------ softmax tab
    "sm.formula": (
        "**softmax(z)ᵢ = exp(zᵢ / T) / Σⱼ exp(zⱼ / T)** — computed stably as "
        "exp(zᵢ/T − max) / Σⱼ exp(zⱼ/T − max).",
        "**softmax(z)ᵢ = exp(zᵢ / T) / Σⱼ exp(zⱼ / T)** —— 为了数值稳定，实际计算 "
        "exp(zᵢ/T − max) / Σⱼ exp(zⱼ/T − max)。",
        "**softmax(z)ᵢ = exp(zᵢ / T) / Σⱼ exp(zⱼ / T)** —— 為了數值穩定，實際計算 "
        "exp(zᵢ/T − max) / Σⱼ exp(zⱼ/T − max)。",
    ),
    "sm.names": (
        "Class names (comma-separated)",
        "类别名称（用逗号分隔）",
        "類別名稱（用逗號分隔）",
    ),
    "sm.rename": ("Rename", "重命名", "重新命名"),
    "sm.add": ("Add a class", "添加类别", "新增類別"),
    "sm.remove": ("Remove the last class", "删除最后一个类别", "刪除最後一個類別"),
    "sm.temperature": (
        "Temperature T (log scale: the slider shows log₁₀ T, from 0.05 to 10)",
        "温度 T（对数刻度：滑块显示 log₁₀ T，范围 0.05 到 10）",
        "溫度 T（對數刻度：滑桿顯示 log₁₀ T，範圍 0.05 到 10）",
    ),
    "sm.presets": ("Presets", "预设", "預設"),
    "preset.seed_a": ("3, 1, −3", "3, 1, −3", "3, 1, −3"),
    "preset.seed_b": ("1, 2, 3", "1, 2, 3", "1, 2, 3"),
    "preset.equal": ("All equal", "全部相等", "全部相等"),
    "preset.small_a": ("Small gap: 1, 1, 1.5", "小差距：1, 1, 1.5", "小差距：1, 1, 1.5"),
    "preset.small_b": ("Small gap: 1, 1, 2.0", "小差距：1, 1, 2.0", "小差距：1, 1, 2.0"),
    "preset.large": ("Large gap: −5, −5, 5", "大差距：−5, −5, 5", "大差距：−5, −5, 5"),
    "preset.negative": ("All negative: −2, −1, −1", "全为负数：−2, −1, −1", "全為負數：−2, −1, −1"),
    "preset.shift": ("Add a constant to all", "所有 logit 加同一个常数", "所有 logit 加同一個常數"),
    "sm.t_value": ("Temperature T = {t}", "温度 T = {t}", "溫度 T = {t}"),
    "sm.chart_title": ("Probabilities", "概率", "機率"),
    "sm.winner": ("winner", "胜出", "勝出"),
    "sm.tie": ("tie", "并列", "並列"),
    "col.class": ("class", "类别", "類別"),
    "col.logit": ("logit z", "logit z", "logit z"),
    "col.scaled": ("z / T", "z / T", "z / T"),
    "col.shifted": ("z/T − max", "z/T − max", "z/T − max"),
    "col.exp": ("exp(z/T − max)", "exp(z/T − max)", "exp(z/T − max)"),
    "col.prob": ("probability", "概率", "機率"),
    "col.percent": ("%", "%", "%"),
    "sm.steps": ("Step by step", "逐步计算", "逐步計算"),
    "sm.sum_label": ("Sum check", "求和检验", "求和檢驗"),
    "sm.sum": (
        "Σ p = {total} (|Σ p − 1| = {error}; expected at most about n·ε = {bound})",
        "Σ p = {total}（|Σ p − 1| = {error}；预期不超过约 n·ε = {bound}）",
        "Σ p = {total}（|Σ p − 1| = {error}；預期不超過約 n·ε = {bound}）",
    ),
    "sm.sum_note": (
        "Each probability is rounded to the nearest float64 (ε = 2.2e-16), so the sum may miss 1 "
        "by a few ε. That is floating-point rounding, not a bug: compare with a tolerance, "
        "never with ==.",
        "每个概率都被舍入到最近的 float64（ε = 2.2e-16），所以总和可能与 1 相差几个 ε。"
        "这是浮点舍入，不是错误：比较时请使用容差，不要用 ==。",
        "每個機率都被捨入到最近的 float64（ε = 2.2e-16），所以總和可能與 1 相差幾個 ε。"
        "這是浮點捨入，不是錯誤：比較時請使用容差，不要用 ==。",
    ),
    "sm.sum_ok": ("within tolerance", "在容差之内", "在容差之內"),
    "sm.sum_bad": ("outside tolerance", "超出容差", "超出容差"),
    "sm.entropy": (
        "Entropy H = −Σ p log p = {nats} nats = {bits} bits (maximum log n = {max_nats} nats "
        "when all classes are equally likely).",
        "熵 H = −Σ p log p = {nats} nats = {bits} bits（所有类别等可能时达到最大值 "
        "log n = {max_nats} nats）。",
        "熵 H = −Σ p log p = {nats} nats = {bits} bits（所有類別等可能時達到最大值 "
        "log n = {max_nats} nats）。",
    ),
    "sm.explain_gap": (
        "The winner **{winner}** leads the runner-up **{second}** by {gap} in logits; divided by "
        "T = {t} that is {scaled}, so the winner is e^{scaled} ≈ {ratio} times as likely.",
        "胜出者 **{winner}** 的 logit 比第二名 **{second}** 高 {gap}；除以 T = {t} 后差距为 "
        "{scaled}，所以胜出者的概率约为第二名的 e^{scaled} ≈ {ratio} 倍。",
        "勝出者 **{winner}** 的 logit 比第二名 **{second}** 高 {gap}；除以 T = {t} 後差距為 "
        "{scaled}，所以勝出者的機率約為第二名的 e^{scaled} ≈ {ratio} 倍。",
    ),
    "sm.explain_tie": (
        "The top classes are tied ({winners}): softmax splits the probability between them "
        "equally.",
        "最高的类别并列（{winners}）：softmax 把概率平均分给它们。",
        "最高的類別並列（{winners}）：softmax 把機率平均分給它們。",
    ),
    "sm.explain_rule": (
        "**Winner takes all:** the ratio of two probabilities is exp(gap / T). As the gap grows "
        "or the temperature falls, this ratio explodes and softmax approaches argmax (a one-hot "
        "vector). As the temperature rises, every class tends to 1/n. Adding the same constant "
        "to every logit changes nothing: only differences matter.",
        "**赢者通吃：** 两个概率之比等于 exp(差距 / T)。差距越大或温度越低，这个比值增长得越快，"
        "softmax 就越接近 argmax（独热向量）。温度升高时，每个类别都趋向 1/n。"
        "给所有 logit 加同一个常数不会改变结果：只有差值才重要。",
        "**贏者全拿：** 兩個機率之比等於 exp(差距 / T)。差距越大或溫度越低，這個比值增長得越快，"
        "softmax 就越接近 argmax（獨熱向量）。溫度升高時，每個類別都趨向 1/n。"
        "給所有 logit 加同一個常數不會改變結果：只有差值才重要。",
    ),
    "sm.regime_wta": (
        "Here the winner already takes {p} of the probability: almost one-hot.",
        "此时胜出者已拿到 {p} 的概率：几乎是独热向量。",
        "此時勝出者已拿到 {p} 的機率：幾乎是獨熱向量。",
    ),
    "sm.regime_flat": (
        "Here the distribution is close to uniform (entropy at {pct} of its maximum).",
        "此时分布接近均匀（熵达到最大值的 {pct}）。",
        "此時分佈接近均勻（熵達到最大值的 {pct}）。",
    ),
    "sm.shifted": (
        "Added {c} to every logit: the probabilities are unchanged (largest change {change}).",
        "给每个 logit 加了 {c}：概率没有变化（最大变化 {change}）。",
        "給每個 logit 加了 {c}：機率沒有變化（最大變化 {change}）。",
    ),
    # ------------------------------------------------------------------ compare tab
    "cmp.intro": (
        "The same logits through four maps. **softmax**: a smooth distribution over exclusive "
        "classes. **sigmoid**: each class on its own (multi-label), so the values need not sum to "
        "1. **argmax**: the hard choice (one-hot). **sparsemax**: like softmax but it can give "
        "exact zeros.",
        "同一组 logit 经过四种映射。**softmax**：互斥类别上的平滑分布。**sigmoid**："
        "每个类别独立判断（多标签），所以总和不必为 1。**argmax**：硬选择（独热）。"
        "**sparsemax**：类似 softmax，但可以给出精确的 0。",
        "同一組 logit 經過四種映射。**softmax**：互斥類別上的平滑分佈。**sigmoid**："
        "每個類別獨立判斷（多標籤），所以總和不必為 1。**argmax**：硬選擇（獨熱）。"
        "**sparsemax**：類似 softmax，但可以給出精確的 0。",
    ),
    "cmp.logits": ("Logits (comma-separated)", "Logit（用逗号分隔）", "Logit（用逗號分隔）"),
    "cmp.run": ("Compare", "对比", "比較"),
    "cmp.sum": ("sum", "总和", "總和"),
    "cmp.zeros": (
        "sparsemax gives exactly zero to {k} of {n} classes; softmax gives zero to none.",
        "sparsemax 给 {n} 个类别中的 {k} 个精确的 0；softmax 一个也不会给 0。",
        "sparsemax 給 {n} 個類別中的 {k} 個精確的 0；softmax 一個也不會給 0。",
    ),
    # ------------------------------------------------------------------ precision tab
    "prec.intro": (
        "Why softmaxlab subtracts the maximum before exponentiating: exp(1000) overflows to inf "
        "in float64, and inf / inf is NaN. Subtracting the maximum changes nothing mathematically "
        "(shift invariance) but keeps every exponent ≤ 0.",
        "为什么 softmaxlab 在取指数之前先减去最大值：在 float64 中 exp(1000) 会溢出为 inf，"
        "而 inf / inf 是 NaN。减去最大值在数学上不改变结果（平移不变性），却让每个指数都 ≤ 0。",
        "為什麼 softmaxlab 在取指數之前先減去最大值：在 float64 中 exp(1000) 會溢位為 inf，"
        "而 inf / inf 是 NaN。減去最大值在數學上不改變結果（平移不變性），卻讓每個指數都 ≤ 0。",
    ),
    "prec.logits": ("Logits (comma-separated)", "Logit（用逗号分隔）", "Logit（用逗號分隔）"),
    "prec.run": ("Compute", "计算", "計算"),
    "prec.example_large": ("1000, 999, 998", "1000, 999, 998", "1000, 999, 998"),
    "prec.example_log": ("1000, 1", "1000, 1", "1000, 1"),
    "prec.naive_title": (
        "Naive exp(z) / Σ exp(z) vs the stable form",
        "朴素的 exp(z) / Σ exp(z) 与稳定形式",
        "樸素的 exp(z) / Σ exp(z) 與穩定形式",
    ),
    "col.naive_exp": ("exp(z)", "exp(z)", "exp(z)"),
    "col.naive_p": ("naive p", "朴素 p", "樸素 p"),
    "col.stable_exp": ("exp(z − max)", "exp(z − max)", "exp(z − max)"),
    "col.stable_p": ("stable p (softmaxlab)", "稳定 p（softmaxlab）", "穩定 p（softmaxlab）"),
    "prec.naive_bad": (
        "The naive form produced {bad} non-finite value(s) (inf or NaN).",
        "朴素形式产生了 {bad} 个非有限值（inf 或 NaN）。",
        "樸素形式產生了 {bad} 個非有限值（inf 或 NaN）。",
    ),
    "prec.naive_ok": (
        "Both forms agree here: the logits are small enough. Try 1000, 999, 998.",
        "这里两种形式结果一致：logit 足够小。试试 1000, 999, 998。",
        "這裡兩種形式結果一致：logit 夠小。試試 1000, 999, 998。",
    ),
    "prec.dtype_title": (
        "The sum of the probabilities in each precision",
        "各种精度下概率之和",
        "各種精度下機率之和",
    ),
    "col.dtype": ("dtype", "数据类型", "資料型別"),
    "col.eps": ("machine ε", "机器 ε", "機器 ε"),
    "col.sum": ("Σ p", "Σ p", "Σ p"),
    "col.sum_err": ("|Σ p − 1|", "|Σ p − 1|", "|Σ p − 1|"),
    "col.in_eps": ("|Σ p − 1| / ε", "|Σ p − 1| / ε", "|Σ p − 1| / ε"),
    "prec.dtype_note": (
        "Each precision misses 1 by a few of its own ε: float16 keeps about 3 significant digits, "
        "float32 about 7, float64 about 16. Logits that do not fit the type become ±inf "
        "(float16 stops at 65504).",
        "每种精度与 1 的差距都在其自身 ε 的几倍之内：float16 约 3 位有效数字，float32 约 7 位，"
        "float64 约 16 位。超出类型范围的 logit 会变成 ±inf（float16 最大为 65504）。",
        "每種精度與 1 的差距都在其自身 ε 的幾倍之內：float16 約 3 位有效數字，float32 約 7 位，"
        "float64 約 16 位。超出型別範圍的 logit 會變成 ±inf（float16 最大為 65504）。",
    ),
    "prec.log_title": (
        "log(softmax(z)) vs log_softmax(z)",
        "log(softmax(z)) 与 log_softmax(z)",
        "log(softmax(z)) 與 log_softmax(z)",
    ),
    "col.log_of_softmax": ("log(softmax(z))", "log(softmax(z))", "log(softmax(z))"),
    "col.log_softmax": ("log_softmax(z)", "log_softmax(z)", "log_softmax(z)"),
    "prec.log_bad": (
        "{k} probability(ies) underflowed to 0, so log(softmax) gives −inf where log_softmax "
        "(z − logsumexp(z)) stays finite. Use log_softmax for losses.",
        "有 {k} 个概率下溢为 0，所以 log(softmax) 给出 −inf，而 log_softmax"
        "（z − logsumexp(z)）仍然有限。计算损失时请使用 log_softmax。",
        "有 {k} 個機率下溢為 0，所以 log(softmax) 給出 −inf，而 log_softmax"
        "（z − logsumexp(z)）仍然有限。計算損失時請使用 log_softmax。",
    ),
    "prec.log_ok": (
        "No probability underflowed here, so both agree. Try 1000, 1: softmax gives 0 for the "
        "second class, log(0) = −inf, while log_softmax gives −999.",
        "这里没有概率下溢，所以两者一致。试试 1000, 1：softmax 给第二类 0，log(0) = −inf，"
        "而 log_softmax 给出 −999。",
        "這裡沒有機率下溢，所以兩者一致。試試 1000, 1：softmax 給第二類 0，log(0) = −inf，"
        "而 log_softmax 給出 −999。",
    ),
    # ------------------------------------------------------------------ gradients tab
    "grad.intro": (
        "The Jacobian of softmax is J = diag(p) − p pᵀ: Jᵢⱼ = pᵢ(δᵢⱼ − pⱼ). Each row sums to 0 "
        "because the probabilities always sum to 1. With cross-entropy loss and a target class "
        "y, the gradient with respect to the logits is simply p − y (y one-hot).",
        "softmax 的雅可比矩阵为 J = diag(p) − p pᵀ：Jᵢⱼ = pᵢ(δᵢⱼ − pⱼ)。由于概率之和恒为 1，"
        "每一行之和为 0。使用交叉熵损失和目标类别 y 时，"
        "对 logit 的梯度就是 p − y（y 为独热向量）。",
        "softmax 的雅可比矩陣為 J = diag(p) − p pᵀ：Jᵢⱼ = pᵢ(δᵢⱼ − pⱼ)。由於機率之和恆為 1，"
        "每一列之和為 0。使用交叉熵損失和目標類別 y 時，"
        "對 logit 的梯度就是 p − y（y 為獨熱向量）。",
    ),
    "grad.logits": ("Logits (comma-separated)", "Logit（用逗号分隔）", "Logit（用逗號分隔）"),
    "grad.target": (
        "Target class (index from 0)",
        "目标类别（从 0 开始的索引）",
        "目標類別（從 0 開始的索引）",
    ),
    "grad.lr": ("Learning rate η", "学习率 η", "學習率 η"),
    "grad.run": ("Compute", "计算", "計算"),
    "grad.jacobian_title": (
        "Softmax Jacobian ∂pᵢ/∂zⱼ",
        "Softmax 雅可比矩阵 ∂pᵢ/∂zⱼ",
        "Softmax 雅可比矩陣 ∂pᵢ/∂zⱼ",
    ),
    "grad.row_sums": (
        "Largest |row sum| = {value} (zero up to rounding).",
        "最大的 |行和| = {value}（在舍入误差内为 0）。",
        "最大的 |列和| = {value}（在捨入誤差內為 0）。",
    ),
    "grad.step_title": (
        "Cross-entropy gradient and one gradient-descent step",
        "交叉熵梯度与一步梯度下降",
        "交叉熵梯度與一步梯度下降",
    ),
    "col.p": ("p", "p", "p"),
    "col.y": ("y", "y", "y"),
    "col.grad": ("p − y", "p − y", "p − y"),
    "col.z_new": ("z − η(p − y)", "z − η(p − y)", "z − η(p − y)"),
    "col.p_new": ("new p", "新的 p", "新的 p"),
    "grad.loss": (
        "Loss −log p_y: {before} → {after} after one step with η = {lr}. The target's logit goes "
        "up by η(1 − p_y) and every other logit goes down by η·pᵢ.",
        "损失 −log p_y：{before} → {after}（η = {lr} 的一步之后）。目标类别的 logit 增加 "
        "η(1 − p_y)，其余每个 logit 减少 η·pᵢ。",
        "損失 −log p_y：{before} → {after}（η = {lr} 的一步之後）。目標類別的 logit 增加 "
        "η(1 − p_y)，其餘每個 logit 減少 η·pᵢ。",
    ),
    # ------------------------------------------------------------------ next-token tab
    "tab.next_token": ("Next token", "下一个词元", "下一個詞元"),
    "nt.intro": (
        "A language model scores every token of its vocabulary; softmax turns the scores into "
        "the probability of the next token. Decoding settings reshape that distribution before "
        "one token is drawn. Edit the vocabulary (one `token: logit` per line) and the settings.",
        "语言模型为词表中的每个词元打分；softmax 把分数变成下一个词元的概率。"
        "解码设置会在抽取词元之前重塑这个分布。编辑词表（每行一个 `词元: logit`）和各项设置。",
        "語言模型為詞表中的每個詞元打分；softmax 把分數變成下一個詞元的機率。"
        "解碼設定會在抽取詞元之前重塑這個分佈。編輯詞表（每行一個 `詞元: logit`）和各項設定。",
    ),
    "nt.prompt": (
        "Prompt: “The cat sat on the …” — which word comes next?",
        "提示：“The cat sat on the …”（猫坐在……上）—— 下一个词是什么？",
        "提示：「The cat sat on the …」（貓坐在……上）—— 下一個詞是什麼？",
    ),
    "nt.vocab": (
        "Vocabulary (token: logit, one per line)",
        "词表（词元: logit，每行一个）",
        "詞表（詞元: logit，每行一個）",
    ),
    "nt.temperature": ("Temperature (0 = greedy)", "温度（0 = 贪心）", "溫度（0 = 貪婪）"),
    "nt.top_k": ("top-k (0 = off)", "top-k（0 = 关闭）", "top-k（0 = 關閉）"),
    "nt.top_p": ("top-p (1 = off)", "top-p（1 = 关闭）", "top-p（1 = 關閉）"),
    "nt.min_p": ("min-p (0 = off)", "min-p（0 = 关闭）", "min-p（0 = 關閉）"),
    "nt.n": ("Number of draws N", "抽样次数 N", "抽樣次數 N"),
    "nt.seed": ("Random seed", "随机种子", "隨機種子"),
    "nt.sample": ("Sample N times", "抽样 N 次", "抽樣 N 次"),
    "nt.base": ("Base distribution softmax(z)", "原始分布 softmax(z)", "原始分佈 softmax(z)"),
    "nt.processed": ("After the decoding settings", "应用解码设置之后", "套用解碼設定之後"),
    "nt.removed": ("removed", "已移除", "已移除"),
    "nt.pipeline": (
        "Pipeline (applied in this order)",
        "处理流程（按此顺序应用）",
        "處理流程（按此順序套用）",
    ),
    "nt.step_temperature": (
        "1. temperature T = {t}: z → z / T{greedy}",
        "1. 温度 T = {t}：z → z / T{greedy}",
        "1. 溫度 T = {t}：z → z / T{greedy}",
    ),
    "nt.greedy_note": (
        " (T = 0: greedy, only the top token stays)",
        "（T = 0：贪心，只保留最高的词元）",
        "（T = 0：貪婪，只保留最高的詞元）",
    ),
    "nt.step_top_k": (
        "2. top-k {value}: {kept} of {n} tokens left",
        "2. top-k {value}：剩下 {n} 个中的 {kept} 个词元",
        "2. top-k {value}：剩下 {n} 個中的 {kept} 個詞元",
    ),
    "nt.step_top_p": (
        "3. top-p {value}: {kept} of {n} tokens left",
        "3. top-p {value}：剩下 {n} 个中的 {kept} 个词元",
        "3. top-p {value}：剩下 {n} 個中的 {kept} 個詞元",
    ),
    "nt.step_min_p": (
        "4. min-p {value}: {kept} of {n} tokens left",
        "4. min-p {value}：剩下 {n} 个中的 {kept} 个词元",
        "4. min-p {value}：剩下 {n} 個中的 {kept} 個詞元",
    ),
    "nt.step_renorm": (
        "5. softmax over the tokens left (they sum to 1 again).",
        "5. 对剩下的词元做 softmax（概率之和重新为 1）。",
        "5. 對剩下的詞元做 softmax（機率之和重新為 1）。",
    ),
    "nt.off": ("off", "关闭", "關閉"),
    "nt.choice": (
        "Greedy choice: **{greedy}**. One sampled choice (seed {seed}): **{sampled}**. "
        "Entropy after processing: {entropy} nats.",
        "贪心选择：**{greedy}**。一次抽样选择（种子 {seed}）：**{sampled}**。"
        "处理后的熵：{entropy} nats。",
        "貪婪選擇：**{greedy}**。一次抽樣選擇（種子 {seed}）：**{sampled}**。"
        "處理後的熵：{entropy} nats。",
    ),
    "nt.hist_title": (
        "Empirical frequencies of {n} draws (dark) over the theoretical probabilities (light)",
        "{n} 次抽样的经验频率（深色）与理论概率（浅色）",
        "{n} 次抽樣的經驗頻率（深色）與理論機率（淺色）",
    ),
    "nt.hist_note": (
        "Largest gap between frequency and probability: {gap} (it shrinks like 1/√N). Removed "
        "tokens are never drawn.",
        "频率与概率之间的最大差距：{gap}（大致按 1/√N 缩小）。已移除的词元永远不会被抽到。",
        "頻率與機率之間的最大差距：{gap}（大致按 1/√N 縮小）。已移除的詞元永遠不會被抽到。",
    ),
    "col.token": ("token", "词元", "詞元"),
    "col.freq": ("frequency", "频率", "頻率"),
    "what.vocab": ("vocabulary", "词表", "詞表"),
    "what.tokens": ("tokens", "词元", "詞元"),
    "err.vocab_entry": (
        "Line {index} ('{value}') is not 'token: logit'.",
        "第 {index} 行（'{value}'）不是“词元: logit”的格式。",
        "第 {index} 行（'{value}'）不是「詞元: logit」的格式。",
    ),
    "err.duplicate_token": (
        "The token '{label}' appears more than once; each token must be listed once.",
        "词元 '{label}' 出现了不止一次；每个词元只能列出一次。",
        "詞元 '{label}' 出現了不只一次；每個詞元只能列出一次。",
    ),
    # ------------------------------------------------------------------ one-vs-rest (compare tab)
    "ovr.title": (
        "One-vs-rest vs softmax regression",
        "一对其余（one-vs-rest）与 softmax 回归",
        "一對其餘（one-vs-rest）與 softmax 迴歸",
    ),
    "ovr.intro": (
        "One-vs-rest fits one independent sigmoid classifier per class and renormalises their "
        "scores; softmax regression fits one model whose probabilities sum to 1 by "
        "construction. Both are trained on the same split of a small bundled data set.",
        "一对其余为每个类别独立训练一个 sigmoid 分类器，再把分数归一化；softmax 回归只训练一个"
        "模型，其概率之和天然为 1。两者在同一个小型内置数据集的相同划分上训练。",
        "一對其餘為每個類別獨立訓練一個 sigmoid 分類器，再把分數正規化；softmax 迴歸只訓練一個"
        "模型，其機率之和天然為 1。兩者在同一個小型內建資料集的相同劃分上訓練。",
    ),
    "ovr.dataset": ("Data set", "数据集", "資料集"),
    "ovr.run": ("Fit both models", "训练两个模型", "訓練兩個模型"),
    "ovr.summary": (
        "{dataset}: {k} classes, {n_train} training and {n_test} test samples.",
        "{dataset}：{k} 个类别，{n_train} 个训练样本，{n_test} 个测试样本。",
        "{dataset}：{k} 個類別，{n_train} 個訓練樣本，{n_test} 個測試樣本。",
    ),
    "col.model": ("model", "模型", "模型"),
    "col.accuracy": ("test accuracy", "测试准确率", "測試準確率"),
    "col.log_loss": ("test log-loss", "测试对数损失", "測試對數損失"),
    "col.fit_time": ("fit time (s)", "训练时间（秒）", "訓練時間（秒）"),
    "col.n_params": ("parameters", "参数个数", "參數個數"),
    # ------------------------------------------------------------------ draw-a-digit tab
    "tab.digit": ("Draw a digit", "手写数字", "手寫數字"),
    "dg.intro": (
        "Draw a digit from 0 to 9 (pick the brush first). The drawing is cropped, centred and "
        "reduced to 8×8 pixels with values 0–16, like scikit-learn's digits; a softmax "
        "regression trained on those digits gives the ten probabilities.",
        "画一个 0 到 9 的数字（先选择画笔）。图像会被裁剪、居中并缩小为 8×8 像素（取值 0–16），"
        "与 scikit-learn 的 digits 数据一致；在这些数字上训练的 softmax 回归给出十个概率。",
        "畫一個 0 到 9 的數字（先選擇畫筆）。影像會被裁切、置中並縮小為 8×8 像素（取值 0–16），"
        "與 scikit-learn 的 digits 資料一致；在這些數字上訓練的 softmax 迴歸給出十個機率。",
    ),
    "dg.pad": ("Your drawing", "你的绘图", "你的繪圖"),
    "dg.calibrated": (
        "Use temperature scaling (calibrated probabilities)",
        "使用温度缩放（校准后的概率）",
        "使用溫度縮放（校準後的機率）",
    ),
    "dg.seen": ("What the model sees (8×8)", "模型看到的图像（8×8）", "模型看到的影像（8×8）"),
    "dg.top3": ("Top 3: {top}", "前三名：{top}", "前三名：{top}"),
    "dg.temperature": (
        "Temperature fitted on held-out digits: T = {t} ({state}).",
        "在留出的数字上拟合的温度：T = {t}（{state}）。",
        "在保留的數字上擬合的溫度：T = {t}（{state}）。",
    ),
    "dg.on": ("applied", "已应用", "已套用"),
    "dg.off": ("not applied", "未应用", "未套用"),
    "dg.empty": (
        "Draw a digit to see its probabilities.",
        "画一个数字来查看它的概率。",
        "畫一個數字來查看它的機率。",
    ),
    # ------------------------------------------------------------------ train & calibrate tab
    "tab.train": ("Train & calibrate", "训练与校准", "訓練與校準"),
    "tr.intro": (
        "Fit softmax regression on a bundled data set (60 % train, 20 % validation, 20 % test), "
        "then fit one temperature T on the validation set. Temperature scaling never changes "
        "the predicted class, only how confident the model is; the reliability diagram and the "
        "expected calibration error (ECE) show whether confidence matches accuracy.",
        "在内置数据集上训练 softmax 回归（60 % 训练、20 % 验证、20 % 测试），再在验证集上拟合一个"
        "温度 T。温度缩放从不改变预测的类别，只改变模型的自信程度；可靠性图和期望校准误差（ECE）"
        "显示自信程度是否与准确率相符。",
        "在內建資料集上訓練 softmax 迴歸（60 % 訓練、20 % 驗證、20 % 測試），再在驗證集上擬合一個"
        "溫度 T。溫度縮放從不改變預測的類別，只改變模型的自信程度；可靠度圖和期望校準誤差（ECE）"
        "顯示自信程度是否與準確率相符。",
    ),
    "tr.dataset": ("Data set", "数据集", "資料集"),
    "tr.c": ("Inverse regularisation C", "正则化强度的倒数 C", "正則化強度的倒數 C"),
    "tr.max_iter": ("Maximum iterations", "最大迭代次数", "最大迭代次數"),
    "tr.run": ("Train", "训练", "訓練"),
    "tr.progress_data": ("loading the data", "加载数据", "載入資料"),
    "tr.progress_fit": ("fitting softmax regression", "训练 softmax 回归", "訓練 softmax 迴歸"),
    "tr.progress_calibrate": ("fitting the temperature", "拟合温度", "擬合溫度"),
    "tr.progress_score": ("scoring", "评估", "評估"),
    "tr.progress_done": ("done", "完成", "完成"),
    "tr.summary": (
        "{dataset}: {n_iter} iterations; accuracy {train_acc} (train), {test_acc} (test). "
        "Fitted temperature T = {t}. On the test set, ECE {ece_before} → {ece_after} and "
        "log-loss {nll_before} → {nll_after} after scaling.",
        "{dataset}：{n_iter} 次迭代；准确率 {train_acc}（训练）、{test_acc}（测试）。"
        "拟合的温度 T = {t}。在测试集上，缩放后 ECE {ece_before} → {ece_after}，"
        "对数损失 {nll_before} → {nll_after}。",
        "{dataset}：{n_iter} 次迭代；準確率 {train_acc}（訓練）、{test_acc}（測試）。"
        "擬合的溫度 T = {t}。在測試集上，縮放後 ECE {ece_before} → {ece_after}，"
        "對數損失 {nll_before} → {nll_after}。",
    ),
    "tr.loss": ("Training loss per iteration", "每次迭代的训练损失", "每次迭代的訓練損失"),
    "tr.confusion": (
        "Confusion matrix on the test set (rows: true class, columns: predicted)",
        "测试集上的混淆矩阵（行：真实类别，列：预测类别）",
        "測試集上的混淆矩陣（列：真實類別，欄：預測類別）",
    ),
    "tr.reliability_before": (
        "Reliability diagram before scaling",
        "缩放前的可靠性图",
        "縮放前的可靠度圖",
    ),
    "tr.reliability_after": (
        "Reliability diagram after scaling (T = {t})",
        "缩放后的可靠性图（T = {t}）",
        "縮放後的可靠度圖（T = {t}）",
    ),
    "tr.reliability_note": (
        "Bars: accuracy in each confidence bin; dashed line: perfect calibration; gaps are "
        "over- (bar below the line) or under-confidence.",
        "柱：每个置信度区间内的准确率；虚线：完美校准；柱低于虚线表示过度自信，高于表示自信不足。",
        "柱：每個信賴度區間內的準確率；虛線：完美校準；柱低於虛線表示過度自信，高於表示自信不足。",
    ),
    "tr.confidence": ("confidence", "置信度", "信賴度"),
    "tr.accuracy": ("accuracy", "准确率", "準確率"),
    "tr.iteration": ("iteration", "迭代", "迭代"),
    "tr.press": (
        "Choose a data set and press Train.",
        "选择一个数据集，然后点击“训练”。",
        "選擇一個資料集，然後點擊「訓練」。",
    ),
    "err.empty_drawing": (
        "The drawing is empty: draw a digit with the brush first.",
        "绘图是空的：请先用画笔画一个数字。",
        "繪圖是空的：請先用畫筆畫一個數字。",
    ),
    "err.model_training": (
        "The digit model is still being trained; try again in a few seconds.",
        "数字模型仍在训练中；请几秒后再试。",
        "數字模型仍在訓練中；請幾秒後再試。",
    ),
    "err.dataset": (
        "Unknown data set '{value}'; choose one of {allowed}.",
        "未知的数据集 '{value}'；请从 {allowed} 中选择。",
        "未知的資料集 '{value}'；請從 {allowed} 中選擇。",
    ),
    # ------------------------------------------------------------------ messages
    "err.title": ("Please check your entry", "请检查输入", "請檢查輸入"),
    "err.empty": (
        "The list of {what} is empty: enter at least {min} values separated by commas.",
        "{what}列表为空：请输入至少 {min} 个用逗号分隔的值。",
        "{what}列表為空：請輸入至少 {min} 個用逗號分隔的值。",
    ),
    "err.too_few": (
        "Enter at least {min} {what}; got {n}.",
        "请至少输入 {min} 个{what}；收到 {n} 个。",
        "請至少輸入 {min} 個{what}；收到 {n} 個。",
    ),
    "err.too_many": (
        "Enter at most {max} {what}; got {n}.",
        "最多输入 {max} 个{what}；收到 {n} 个。",
        "最多輸入 {max} 個{what}；收到 {n} 個。",
    ),
    "err.not_number": (
        "'{value}' is not a number (entry {index} of the {what}).",
        "'{value}' 不是数字（{what}中的第 {index} 项）。",
        "'{value}' 不是數字（{what}中的第 {index} 項）。",
    ),
    "err.not_finite": (
        "Entry {index} of the {what} is {value}; only finite numbers are allowed here.",
        "{what}中的第 {index} 项为 {value}；这里只允许有限的数。",
        "{what}中的第 {index} 項為 {value}；這裡只允許有限的數。",
    ),
    "err.duplicate": (
        "The label '{label}' appears more than once; labels must be different.",
        "标签 '{label}' 出现了不止一次；标签必须互不相同。",
        "標籤 '{label}' 出現了不只一次；標籤必須互不相同。",
    ),
    "err.blank_label": (
        "Label {index} is empty; give every class a name.",
        "第 {index} 个标签为空；请给每个类别命名。",
        "第 {index} 個標籤為空；請給每個類別命名。",
    ),
    "err.count_mismatch": (
        "There are {n_names} names for {n_classes} classes; give one name per class.",
        "{n_classes} 个类别却有 {n_names} 个名称；请为每个类别给出一个名称。",
        "{n_classes} 個類別卻有 {n_names} 個名稱；請為每個類別給出一個名稱。",
    ),
    "err.target": (
        "The target class must be an integer from 0 to {max}; got {value}.",
        "目标类别必须是 0 到 {max} 之间的整数；收到 {value}。",
        "目標類別必須是 0 到 {max} 之間的整數；收到 {value}。",
    ),
    "err.range": (
        "The {what} must be in the range [{low}, {high}]; got {value}.",
        "{what}必须在 [{low}, {high}] 范围内；收到 {value}。",
        "{what}必須在 [{low}, {high}] 範圍內；收到 {value}。",
    ),
    "err.internal": (
        "Something went wrong while computing this ({kind}). The page still works: change an "
        "input to try again.",
        "计算时出现问题（{kind}）。页面仍可使用：修改输入后再试一次。",
        "計算時出現問題（{kind}）。頁面仍可使用：修改輸入後再試一次。",
    ),
    "what.logits": ("logits", "logit", "logit"),
    "what.labels": ("labels", "标签", "標籤"),
    "what.classes": ("classes", "类别", "類別"),
    "what.lr": ("learning rate", "学习率", "學習率"),
    "what.temperature": ("temperature", "温度", "溫度"),
}

_INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}


def keys() -> list[str]:
    """All string keys (for tests and tools)."""
    return list(_S)


def t(key: str, lang: str, /, **params: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``params``.

    An unknown ``lang`` falls back to English; an unknown ``key`` raises ``KeyError`` (a
    programming error, caught by the tests).

    Examples
    --------
    >>> t("err.too_few", "en", min=2, what=t("what.logits", "en"), n=1)
    'Enter at least 2 logits; got 1.'
    >>> t("tab.compare", "zh-Hant")
    '比較'
    """
    text = _S[key][_INDEX.get(normalize_lang(lang), 0)]
    return text.format(**params) if params else text
