"""The explorer's strings in 简体中文 (zh-Hans): one entry per key, as a plain dict.

Keys are grouped by tab (``sm.`` Softmax, ``cmp.`` Compare, ``prec.`` Precision, ``nt.`` Next
token, ``dg.`` Draw a digit, ``tr.`` Train, ``grad.`` Gradients, ``err.`` messages about bad
entries). Placeholders use :meth:`str.format` syntax and are the same in every language
(``tests/explorer/test_i18n.py`` checks it).
"""

from __future__ import annotations

from .lessons_zh_hans import STRINGS as LESSONS

STRINGS: dict[str, str] = {
    # -------------------------------------------------------------- page
    "app.title": "softmaxlab 探索器",
    "app.intro": (
        "动手玩 softmax：拖动滑块、改变温度、试试预设。本页的每个数字都由 softmaxlab "
        "自己的函数计算（拖动滑块时，条形图由页面自己先画出；松开后换成 softmaxlab 的结果）。"
    ),
    "app.language": "语言",
    "gradio.complete": "完成",
    "tab.softmax": "Softmax",
    "tab.compare": "对比",
    "tab.precision": "数值精度",
    "tab.gradients": "梯度",
    # ------------------------------------------------------- softmax tab
    "sm.formula": (
        "**softmax(z)ᵢ = exp(zᵢ / T) / Σⱼ exp(zⱼ / T)** —— 为了数值稳定，实际计算 exp(zᵢ/T − "
        "max) / Σⱼ exp(zⱼ/T − max)。"
    ),
    "sm.names": "类别名称（用逗号分隔）",
    "sm.rename": "重命名",
    "sm.add": "添加类别（最多 10 个）",
    "sm.remove": "删除最后一个类别（至少 2 个）",
    "sm.temperature": "温度 T（滑块按对数刻度从 0.05 移到 10；也可以在框中输入 T）",
    "sm.t_box": "T（0.05 到 10）",
    "sm.sweep_title": "赢者通吃：温度 T 变化时每个类别的概率",
    "sm.sweep_axis": "温度 T（对数刻度）",
    "sm.sweep_note": (
        "T 降向 0 时，最大的 logit 拿走全部概率（softmax 趋向 argmax）；T 增大时，每个类别都趋向 "
        "1/n。虚线是当前的 T = {t}。"
    ),
    "sm.simplex_title": "概率单纯形（3 个类别）",
    "sm.simplex_note": (
        "3 个类别的每个概率向量都是这个三角形中的一个点：顶点是独热向量，灰色中心是均匀分布"
        "（各 1/3）。虚线是 T 从 0.05（靠近胜出者的顶点）到 10（靠近中心）时 p 走过的路径；"
        "橙色圆点是当前的 p。"
    ),
    "sm.simplex_n": "单纯形只在恰好 3 个类别时画出（现在有 {n} 个）：增加或删除类别即可看到。",
    "sm.presets": "预设",
    "preset.seed_a": "3, 1, −3",
    "preset.seed_b": "1, 2, 3",
    "preset.equal": "全部相等",
    "preset.small_a": "小差距：1, 1, 1.5",
    "preset.small_b": "小差距：1, 1, 2.0",
    "preset.large": "大差距：−5, −5, 5",
    "preset.negative": "全为负数：−2, −1, −1",
    "preset.shift": "所有 logit 加同一个常数",
    "sm.t_value": "温度 T = {t}",
    "sm.chart_title": "概率",
    "sm.winner": "胜出",
    "sm.tie": "并列",
    "col.class": "类别",
    "col.logit": "logit z",
    "col.scaled": "z / T",
    "col.shifted": "z/T − max",
    "col.exp": "exp(z/T − max)",
    "col.prob": "概率",
    "col.percent": "%",
    "sm.steps": "逐步计算",
    "sm.sum_label": "求和检验",
    "sm.sum": "Σ p = {total}（|Σ p − 1| = {error}；预期不超过约 n·ε = {bound}）",
    "sm.sum_note": (
        "每个概率都被舍入到最近的 float64（ε = 2.2e-16），所以总和可能与 1 相差几个 ε。"
        "这是浮点舍入，不是错误：比较时请使用容差，不要用 ==。"
    ),
    "sm.sum_ok": "在容差之内",
    "sm.sum_bad": "超出容差",
    "sm.entropy": (
        "熵 H = −Σ p log p = {nats} nats = {bits} bits（所有类别等可能时达到最大值 log n = "
        "{max_nats} nats）。"
    ),
    "sm.explain_gap": (
        "胜出者 **{winner}** 的 logit 比第二名 **{second}** 高 {gap}；除以 T = {t} 后差距为 "
        "{scaled}，所以胜出者的概率约为第二名的 e^{scaled} ≈ {ratio} 倍。"
    ),
    "sm.explain_tie": "最高的类别并列（{winners}）：softmax 把概率平均分给它们。",
    "sm.explain_rule": (
        "**赢者通吃：** 两个概率之比等于 exp(差距 / T)。差距越大或温度越低，这个比值增长得越快，"
        "softmax 就越接近 argmax（独热向量）。温度升高时，每个类别都趋向 1/n。给所有 logit "
        "加同一个常数不会改变结果：只有差值才重要。"
    ),
    "sm.regime_wta": "此时胜出者已拿到 {p} 的概率：几乎是独热向量。",
    "sm.regime_flat": "此时分布接近均匀（熵达到最大值的 {pct}）。",
    "sm.shifted": "给每个 logit 加了 {c}：概率没有变化（最大变化 {change}）。",
    # ------------------------------------------------------- compare tab
    "cmp.intro": (
        "同一组 logit 经过五种映射。**softmax**：互斥类别上的平滑分布。**sigmoid**："
        "每个类别独立判断（多标签），所以总和不必为 1。**argmax**：硬选择（独热）。"
        "**sparsemax**：类似 softmax，但可以给出精确的 0。**ReLU** max(z, 0)：激活函数，"
        "不是概率分布。"
    ),
    "cmp.logits": "Logit（用逗号分隔）",
    "cmp.run": "对比",
    "cmp.sum": "总和",
    "cmp.zeros": "sparsemax 给 {n} 个类别中的 {k} 个精确的 0；softmax 一个也不会给 0。",
    # ----------------------------------------------------- precision tab
    "prec.intro": (
        "为什么 softmaxlab 在取指数之前先减去最大值：在 float64 中 exp(1000) 会溢出为 inf，而 "
        "inf / inf 是 NaN。减去最大值在数学上不改变结果（平移不变性），却让每个指数都 ≤ 0。"
    ),
    "prec.logits": "Logit（用逗号分隔）",
    "prec.run": "计算",
    "prec.example_large": "1000, 999, 998",
    "prec.example_log": "1000, 1",
    "prec.naive_title": "朴素的 exp(z) / Σ exp(z) 与稳定形式",
    "col.naive_exp": "exp(z)",
    "col.naive_p": "朴素 p",
    "col.stable_exp": "exp(z − max)",
    "col.stable_p": "稳定 p（softmaxlab）",
    "prec.naive_bad": "朴素形式产生了 {bad} 个非有限值（inf 或 NaN）。",
    "prec.naive_ok": "这里两种形式结果一致：logit 足够小。试试 1000, 999, 998。",
    "prec.dtype_title": "各种精度下概率之和",
    "col.dtype": "数据类型",
    "col.eps": "机器 ε",
    "col.sum": "Σ p",
    "col.sum_err": "|Σ p − 1|",
    "col.in_eps": "|Σ p − 1| / ε",
    "prec.dtype_note": (
        "一般来说，舍入后的概率之和与 1 的差距最多是该精度自身 ε 的几倍："
        "float16 约 3 位有效数字，float32"
        " 约 7 位，float64 约 16 位。超出类型范围的 logit 会变成 ±inf（float16 最大为 65504）。"
    ),
    "prec.sum_exact": "{dtype}：这里 Σ p 恰好等于 1（舍入误差相互抵消）",
    "prec.sum_missed": "{dtype}：Σ p 与 1 相差 {k} ε",
    "prec.sum_nan": "{dtype}：Σ p 是 NaN（有 logit 为 ±inf 或 NaN，而 inf − inf 是 NaN）",
    "prec.sum_sep": "。",
    "prec.log_nan": (
        "这里的概率是 NaN（有 logit 为 ±inf 或 NaN），所以 log(softmax) 和 log_softmax 都没有定义，"
        "也谈不上下溢。试试 1000, 1：softmax 给第二类 0，log(0) = −inf，而 log_softmax 给出 −999。"
    ),
    "prec.log_title": "log(softmax(z)) 与 log_softmax(z)",
    "col.log_of_softmax": "log(softmax(z))",
    "col.log_softmax": "log_softmax(z)",
    "prec.log_bad": (
        "有 {k} 个概率下溢为 0，所以 log(softmax) 给出 −inf，而 log_softmax（z − logsumexp(z)）"
        "仍然有限。计算损失时请使用 log_softmax。"
    ),
    "prec.log_ok": (
        "这里没有概率下溢，所以两者一致。试试 1000, 1：softmax 给第二类 0，log(0) = −inf，而 "
        "log_softmax 给出 −999。"
    ),
    # ----------------------------------------------------- gradients tab
    "grad.intro": (
        "softmax 的雅可比矩阵为 J = diag(p) − p pᵀ：Jᵢⱼ = pᵢ(δᵢⱼ − pⱼ)。由于概率之和恒为 1，"
        "每一行之和为 0。使用交叉熵损失和目标类别 y 时，对 logit 的梯度就是 p − y（y 为独热向量）"
        "。"
    ),
    "grad.logits": "Logit（用逗号分隔）",
    "grad.target": "目标类别（从 0 开始的索引）",
    "grad.lr": "学习率 η",
    "grad.run": "计算",
    "grad.jacobian_title": "Softmax 雅可比矩阵 ∂pᵢ/∂zⱼ",
    "grad.row_sums": "最大的 |行和| = {value}（在舍入误差内为 0）。",
    "grad.step_title": "交叉熵梯度与一步梯度下降",
    "col.p": "p",
    "col.y": "y",
    "col.grad": "p − y",
    "col.z_new": "z − η(p − y)",
    "col.p_new": "新的 p",
    "grad.loss": (
        "损失 −log p_y：{before} → {after}（η = {lr} 的一步之后）。目标类别的 logit 增加 η(1 − "
        "p_y)，其余每个 logit 减少 η·pᵢ。"
    ),
    # ---------------------------------------------------- next-token tab
    "tab.next_token": "下一个词元",
    "nt.intro": (
        "语言模型为词表中的每个词元打分；softmax 把分数变成下一个词元的概率。"
        "解码设置会在抽取词元之前重塑这个分布。编辑词表（每行一个 `词元: logit`）和各项设置。"
    ),
    "nt.prompt": "提示：“The cat sat on the …”（猫坐在……上）—— 下一个词是什么？",
    "nt.vocab": "词表（词元: logit，每行一个）",
    "nt.temperature": "温度（0 = 贪心）",
    "nt.top_k": "top-k（0 = 关闭）",
    "nt.top_p": "top-p（1 = 关闭）",
    "nt.min_p": "min-p（0 = 关闭）",
    "nt.n": "抽样次数 N",
    "nt.seed": "随机种子",
    "nt.sample": "抽样 N 次",
    "nt.base": "原始分布 softmax(z)",
    "nt.processed": "应用解码设置之后",
    "nt.removed": "已移除",
    "nt.pipeline": "处理流程（按此顺序应用）",
    "nt.step_temperature": "1. 温度 T = {t}：z → z / T{greedy}",
    "nt.greedy_note": "（T = 0：贪心，只保留最高的词元）",
    "nt.step_top_k": "2. top-k {value}：剩下 {n} 个中的 {kept} 个词元",
    "nt.step_top_p": "3. top-p {value}：剩下 {n} 个中的 {kept} 个词元",
    "nt.step_min_p": "4. min-p {value}：剩下 {n} 个中的 {kept} 个词元",
    "nt.step_renorm": "5. 对剩下的词元做 softmax（概率之和重新为 1）。",
    "nt.off": "关闭",
    "nt.choice": (
        "贪心选择：**{greedy}**。一次抽样选择（种子 {seed}）：**{sampled}**。处理后的熵："
        "{entropy} nats。"
    ),
    "nt.hist_title": "{n} 次抽样的经验频率（深色）与理论概率（浅色）",
    "nt.hist_seed": (
        "本次使用随机种子 {seed}。"
        "种子框已前进到 {next}，再按一次按钮会抽取新的样本；输入 {seed} 可重现这一次。"
    ),
    "nt.hist_note": (
        "频率与概率之间的最大差距：{gap}（大致按 1/√N 缩小）。已移除的词元永远不会被抽到。"
    ),
    # ------------------------------------------- next token, real model (helper I)
    "tab.lm": "下一个词元（真实模型）",
    "lm.intro": (
        "一个真实的小型语言模型：**二元（bigram）** softmax 回归，由 softmaxlab 自己的 "
        "`SoftmaxRegression` 在专为本项目编写的短句上训练（英文按单词，中文按汉字）。对前一个"
        "词元 u，它为每个词元 v 算出一个 logit：**zᵥ = bᵥ + Wᵥᵤ**，并且 P(下一个 = v) = "
        "softmax(z)ᵥ。输入提示，查看下一个词元的真实 logits；用温度、top-k、top-p 和 min-p "
        "解码；每次追加一个抽样得到的词元，或一次生成多个。"
    ),
    "lm.corpus": "训练文本（首次打开本页时训练一次，约一秒）",
    "lm.prompt": "提示",
    "lm.temperature": "温度（0 = 贪心）",
    "lm.top_k": "top-k（0 = 关闭）",
    "lm.top_p": "top-p（1 = 关闭）",
    "lm.min_p": "min-p（0 = 关闭）",
    "lm.seed": "随机种子",
    "lm.step": "追加下一个词元 ▸",
    "lm.n": "要生成的词元数",
    "lm.generate": "生成",
    "lm.waiting": "模型正在用它的文本训练（约一秒）；logits 将显示在这里。",
    "lm.model": (
        "模型：要预测的词元 {vocabulary} 个，用 {n_tokens} 个“下一个词元”样本拟合，耗时 "
        "{seconds} 秒（SoftmaxRegression 的 Newton-CG 迭代 {n_iter} 次，C = {C}）。"
    ),
    "lm.read": "模型读到的是：",
    "lm.empty_prompt": "（还没有内容：句子的开头）",
    "lm.unk": (
        "不在词表中，按 <unk> 读取：{words}。<unk> 没有自己的权重，所以紧跟其后的 logits 只有"
        "截距 b（大致是各词元在任何位置出现为下一个词元的频繁程度）。"
    ),
    "lm.context": "下一个词元由前一个词元预测：{token}（<s> = 句子开头）。",
    "lm.top_title": "下一个词元最大的 {k} 个 logits（共 {n} 个）",
    "lm.col_rank": "#",
    "lm.col_token": "词元",
    "lm.col_logit": "logit z",
    "lm.col_p": "softmax(z)",
    "lm.col_pp": "解码之后",
    "lm.col_cum": "累积概率（top-p）",
    "lm.col_status": "状态",
    "lm.cum_heading": "累积概率（最可能的词元在前）",
    "lm.cum_greedy": "T = 0 即贪心解码：只保留最大的词元，不应用 top-p。",
    "lm.cum_off": "top-p 已关闭（1）：所有词元都保留。把 top-p 调到 1 以下即可看到截断。",
    "lm.cum_title": (
        "每一段是一个词元在 top-k 之后的概率 softmax(z / T)。top-p = {p} 按概率从大到小保留词元，"
        "直到累积质量达到 {p}，越过这条线的那个词元也保留：{n} 个词元中保留 {kept} 个（蓝色），"
        "灰色的被截掉。"
    ),
    "lm.choice": "贪心：**{greedy}** · 用种子 {seed} 抽样：**{sampled}**（追加按钮会追加这一个）",
    "lm.generated_title": "用种子 {seed} 生成了 {n} 个词元（底色深浅：各自被抽中的概率）",
    "lm.ended": "模型抽到了 </s>，即句子结束。修改种子、设置或提示即可继续。",
    "what.lm_tokens": "词元数",
    "err.lm_corpus": "未知的训练文本 {value}；请从选项中选择一个。",
    "col.token": "词元",
    "col.freq": "频率",
    "what.vocab": "词表",
    "what.tokens": "词元",
    "err.vocab_entry": "第 {index} 行（'{value}'）不是“词元: logit”的格式。",
    "err.duplicate_token": "词元 '{label}' 出现了不止一次；每个词元只能列出一次。",
    # ----------------------------------------- one-vs-rest (compare tab)
    "ovr.title": "一对其余（one-vs-rest）与 softmax 回归",
    "ovr.intro": (
        "一对其余为每个类别独立训练一个 sigmoid 分类器，再把分数归一化；softmax "
        "回归只训练一个模型，其概率之和天然为 1。两者在同一个小型内置数据集的相同划分上训练。"
    ),
    "ovr.dataset": "数据集",
    "ovr.run": "训练两个模型",
    "ovr.summary": "{dataset}：{k} 个类别，{n_train} 个训练样本，{n_test} 个测试样本。",
    "col.model": "模型",
    "col.accuracy": "测试准确率",
    "col.log_loss": "测试对数损失",
    "col.fit_time": "训练时间（秒）",
    "col.n_params": "参数个数",
    # -------------------------------------------------- draw-a-digit tab
    "tab.digit": "手写数字",
    "dg.intro": (
        "画一个 0 到 9 的数字（画笔已选好）。图像会被裁剪、居中并缩小为 8×8 像素（取值 0–16），"
        "与 scikit-learn 的 digits 数据一致；在这些数字上训练的 softmax 回归给出十个概率。"
    ),
    "dg.none": (
        "softmax 无法回答“都不是”：它总是把全部概率分给这十个数字，所以一个点或一笔乱涂也会得到"
        "一个看起来很有把握的类别。能够拒绝回答的模型需要额外的“其他”类别，或者给置信度设一个阈值。"
    ),
    "gradio.brush": "画笔",
    "gradio.erase": "橡皮擦",
    "gradio.color": "颜色",
    "gradio.brush_size": "画笔大小",
    "gradio.clear_canvas": "清空画布",
    "gradio.pan": "平移",
    "gradio.redo": "重做",
    "gradio.zoom_in": "放大",
    "gradio.zoom_out": "缩小",
    "gradio.select_draw_tool": "选择画笔后开始绘制",
    "gradio.aria_number": "{label} 的数字输入框",
    "gradio.aria_range": "{label} 的滑块",
    "gradio.aria_reset": "恢复默认值",
    "gradio.aria_upload": "点击上传或拖放文件",
    "gradio.aria_undo": "撤销",
    "gradio.aria_file": "文件上传",
    "dg.pad": "你的绘图",
    "dg.calibrated": "使用温度缩放（校准后的概率）",
    "dg.seen": "模型看到的图像（8×8）",
    "dg.top3": "前三名：{top}",
    "dg.temperature": "在留出的数字上拟合的温度：T = {t}（{state}）。",
    "dg.on": "已应用",
    "dg.off": "未应用",
    "dg.empty": "画一个数字来查看它的概率。",
    # --------------------------------------------- train & calibrate tab
    "tab.train": "训练与校准",
    "tr.intro": (
        "在内置数据集上训练 softmax 回归（60 % 训练、20 % 验证、20 % 测试），"
        "再在验证集上拟合一个温度 T。温度缩放从不改变预测的类别，只改变模型的自信程度；"
        "可靠性图和期望校准误差（ECE）显示自信程度是否与准确率相符。"
    ),
    "tr.dataset": "数据集",
    "tr.c": "正则化强度的倒数 C",
    "tr.max_iter": "最大迭代次数",
    "tr.run": "训练",
    "tr.progress_data": "加载数据",
    "tr.progress_fit": "训练 softmax 回归",
    "tr.progress_calibrate": "拟合温度",
    "tr.progress_score": "评估",
    "tr.progress_done": "完成",
    "tr.summary": (
        "{dataset}：{n_iter} 次迭代；准确率 {train_acc}（训练）、{test_acc}（测试）。拟合的温度 "
        "T = {t}。在测试集上，缩放后 ECE {ece_before} → {ece_after}，对数损失 {nll_before} → "
        "{nll_after}。"
    ),
    "tr.loss": "每次迭代的训练损失",
    "tr.confusion": "测试集上的混淆矩阵（行：真实类别，列：预测类别）",
    "tr.reliability_before": "缩放前的可靠性图",
    "tr.reliability_after": "缩放后的可靠性图（T = {t}）",
    "tr.reliability_note": (
        "柱：每个置信度区间内的准确率；虚线：完美校准；柱低于虚线表示过度自信，高于表示自信不足。"
    ),
    "tr.confidence": "置信度",
    "tr.accuracy": "准确率",
    "tr.iteration": "迭代",
    "tr.press": "选择一个数据集，然后点击“训练”。",
    "err.empty_drawing": "绘图是空的：请先用画笔画一个数字。",
    "err.model_training": "数字模型仍在训练中；请几秒后再试。",
    "err.dataset": "未知的数据集 '{value}'；请从 {allowed} 中选择。",
    # Action choice, Cross-entropy and the Compare/Gradients additions: in .lessons_zh_hans.
    **LESSONS,
    # ---------------------------------------------------------- messages
    "punct.colon": "：",
    "punct.list": "、",
    "err.title": "请检查输入",
    "err.empty": "{what}列表为空：请输入至少 {min} 个用逗号分隔的值。",
    "err.too_few": "请至少输入 {min} 个{what}；收到 {n} 个。",
    "err.too_many": "最多输入 {max} 个{what}；收到 {n} 个。",
    "err.not_number": "'{value}' 不是数字（{what}中的第 {index} 项）。",
    "err.not_finite": "{what}中的第 {index} 项为 {value}；这里只允许有限的数。",
    "err.duplicate": "标签 '{label}' 出现了不止一次；标签必须互不相同。",
    "err.blank_label": "第 {index} 个标签为空；请给每个类别命名。",
    "err.count_mismatch": "{n_classes} 个类别却有 {n_names} 个名称；请为每个类别给出一个名称。",
    "err.target": "目标类别必须是 0 到 {max} 之间的整数；收到 {value}。",
    "err.range": "{what}必须在 [{low}, {high}] 范围内；收到 {value}。",
    "err.internal": "计算时出现问题（{kind}）。页面仍可使用：修改输入后再试一次。",
    "what.logits": "logit",
    "what.labels": "标签",
    "what.classes": "类别",
    "what.lr": "学习率",
    "what.temperature": "温度",
    "what.logit": "logit 值",
    "err.entry_range": "{what}：{value} 超出允许范围 [{low}, {high}]，已改为 {fixed}。",
    "err.entry_empty": "{what}：输入框是空的，已恢复为 {fixed}。",
    "err.entry_not_number": "{what}：{value} 不是数字，已恢复为 {fixed}。",
    "err.entry_not_finite": "{what}：{value} 不是有限的数，已恢复为 {fixed}。",
    "err.entry_integer": "{what}：只能输入整数，{value} 已四舍五入为 {fixed}。",
    # ------------------------------- helper E: Σ row, train warnings, attention, segmentation
    "sm.col_divide": "exp ÷ Σ = {p}",
    "sm.sum_steps": (
        "逐步：先对每个 z/T − max 取指数（exp 列），再把它们加起来（Σ 行：Σ exp = {exp_sum}），"
        "最后用每个 exp 除以这个和（÷ Σ 列）。"
    ),
    "tr.warn_lower": (
        "温度停在了下限 {bound}：校准集（{n_val} 个样本）被完全分对，"
        "所以校准无法判断模型有多过度自信。"
        "请谨慎看待拟合出的 T 和缩放后的指标。"
    ),
    "tr.warn_upper": (
        "温度停在了上限 {bound}：在校准集（{n_val} 个样本）上模型几乎不比均匀猜测好，"
        "拟合出的 T 不可靠。"
    ),
    "tr.warn_iter": (
        "拟合在 {n_iter} 次迭代内没有收敛：请提高最大迭代次数，或减小 C（加强正则化）。"
    ),
    "tab.attention": "注意力",
    "att.intro": (
        "**注意力**：每个词元提出一个查询 q，每个词元提供一个键 k 和一个值 v。"
        "分数是 q·k / √d；对每一行做 softmax，得到和为 1 的权重，每个词元的输出就是值的加权和。"
        "这里的向量是固定的、由种子生成的小向量，并非训练好的模型。"
    ),
    "att.tokens": "词元（用空格分隔）",
    "att.run": "计算",
    "att.examples": "示例句子",
    "att.example_1": "小猫 坐 在 垫子 上",
    "att.example_2": "她 把 茶 倒进 杯子",
    "att.example_3": "softmax 把 分数 变成 权重",
    "att.causal": "因果掩码（每个词元只看到自己和前面的词元）",
    "att.query": "查询词元（位置）",
    "att.corner": "查询 ↓ 键 →",
    "att.dim": "维",
    "att.mask_on": "因果掩码已开启：查询之后的键分数为 −∞，所以其权重恰好为 0。",
    "att.mask_off": "因果掩码已关闭：每个词元都关注所有词元。",
    "att.scores_heading": "分数 q·k / √d（缩放 {scale}）",
    "att.weights_heading": "权重：对每一行做 softmax（灰色：被掩码，权重为 0）",
    "att.sum": "行和 Σ",
    "att.output_heading": "输出：每一行是值的加权和",
    "att.query_heading": "查询 {n}「{token}」的权重",
    "att.mix": "输出 {n} = {terms} = （{out}）",
    "what.att_query": "查询位置",
    "tab.segmentation": "图像分割",
    "seg.intro": (
        "**逐像素 softmax**：这张生成的小图（天空、地面、一个橙色的球，再加上噪声）中，"
        "每个像素根据颜色为每个类别得到一个分数；沿类别轴做 softmax，把每个像素的分数变成概率，"
        "标签图显示每个像素最可能的类别。"
    ),
    "seg.temperature": "温度 T",
    "seg.noise": "噪声（标准差）",
    "seg.seed": "噪声种子",
    "seg.row": "选中的像素：行",
    "seg.col": "选中的像素：列",
    "seg.class_sky": "天空",
    "seg.class_ground": "地面",
    "seg.class_object": "球",
    "seg.image": "图像",
    "seg.prob_map": "p（{name}）",
    "seg.label_map": "标签图（argmax）",
    "seg.counts": "各标签的像素数：{counts}。",
    "seg.pixel_heading": "像素（第 {row} 行，第 {col} 列）",
    "seg.pixel_scores": "分数：{scores}；T = {t} 时的 softmax：",
    "seg.sum": "该像素的 Σp = {total}；所有像素中最大的 |Σp − 1| 为 {worst}。",
    "seg.sep": "，",
    "what.seg_noise": "噪声水平",
    "what.seg_seed": "种子",
    "what.seg_row": "行",
    "what.seg_col": "列",
}
