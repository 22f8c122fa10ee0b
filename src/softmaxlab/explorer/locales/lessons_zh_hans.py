"""Simplified Chinese strings of the Action choice and Cross-entropy tabs and of the additions to
Compare and Gradients (keys ``act.``, ``ce.``, ``cmp.ml_``, ``cmp.ovr_``, ``cmp.relu_``,
``grad.d_``, ``grad.s_``, ``grad.fd_`` and their ``what.`` words), merged into :mod:`.zh_hans`.
"""

from __future__ import annotations

STRINGS: dict[str, str] = {
    "tab.action": "动作选择",
    "act.intro": (
        "**多臂老虎机**：每个臂按自己的平均奖励加上噪声给出回报，智能体并不知道这些平均值。它记录每"
        "个臂得到的平均回报，再按某种策略选择：**softmax**（玻尔兹曼）以概率 softmax(Q / T)ₐ 选臂 a"
        "，接近最好的臂常被尝试，明显差的臂很少被选；**ε-贪心**选当前看起来最好的臂，并以概率 ε 随"
        "机选任意一个臂；**均匀**策略从不学习。遗憾（regret）是与一直拉最好的臂相比损失的奖励。"
    ),
    "act.arms": "臂的数量",
    "act.steps": "每次运行的步数",
    "act.runs": "运行次数（取平均）",
    "act.temperature": "Softmax 温度 T",
    "act.epsilon": "ε-贪心的 ε",
    "act.seed": "随机种子",
    "act.run": "运行老虎机",
    "act.err_int": "{what}必须是 {low} 到 {high} 之间的整数；收到 {value}。",
    "act.settings": (
        "{arms} 个臂，{steps} 步，{runs} 次运行的平均；T = {t}，ε = {eps}，种子 {seed}。最好的臂是 "
        "{best}（★）。"
    ),
    "act.regret_title": "累计遗憾（越低越好）",
    "act.regret_note": "均匀选择每一步损失相同，所以它的线是直的；会学习的策略会让线逐渐变平。",
    "act.regret_axis": "遗憾",
    "act.step": "步",
    "act.prob_axis": "概率",
    "act.policy_title": "Softmax 策略每一步的概率",
    "act.policy_note": (
        "每种颜色代表一个臂，色带的高度是 softmax(Q / T) 给它的概率（各次运行的平均）。T 很大时各色"
        "带一样宽（均匀）；T 很小时最好的臂的色带会逐渐占满整个图。"
    ),
    "act.summary_title": "汇总",
    "act.policy": "策略",
    "act.final_regret": "最后一步后的遗憾",
    "act.best_rate": "选中最好的臂的比例（最后几步）",
    "act.tail_note": "最后一列是最后 {tail} 步的平均。",
    "act.probs_title": "几个时刻 softmax 给每个臂的概率",
    "act.arm": "臂",
    "act.mean": "真实平均值",
    "act.at_step": "第 {step} 步",
    "act.policy_softmax": "softmax（玻尔兹曼）",
    "act.policy_epsilon_greedy": "ε-贪心",
    "act.policy_uniform": "均匀",
    "what.arms": "臂的数量",
    "what.steps": "步数",
    "what.runs": "运行次数",
    "what.epsilon": "ε",
    "what.seed": "随机种子",
    "what.smoothing": "标签平滑",
    "what.grad_steps": "梯度步数",
    "tab.cross_entropy": "交叉熵",
    "ce.intro": (
        "**由 logit 直接计算交叉熵**：L = −log softmax(z)ᵧ = logsumexp(z) − zᵧ。从 logit 出发计算不"
        "会产生被舍入成 0 的概率，所以 logit 很大时结果仍是有限值；先算 log(softmax(z)) 则不然。试"
        "试 1000, 0，目标类别 1：真正的损失是 1000。"
    ),
    "ce.logits": "Logit（用逗号分隔）",
    "ce.target": "目标类别 y（从 0 开始的索引）",
    "ce.smoothing": "标签平滑 ε",
    "ce.run": "计算",
    "ce.steps_title": "逐步计算",
    "ce.col_shifted": "z − max",
    "ce.col_exp": "exp(z − max)",
    "ce.col_log_softmax": "log_softmax = z − logsumexp",
    "ce.col_naive_exp": "朴素 exp(z)",
    "ce.col_log_of_softmax": "log(softmax(z))",
    "ce.good_title": "由 logit 计算（softmaxlab.cross_entropy）",
    "ce.step_max": "1. **最大的 logit** m = max z",
    "ce.step_sum": "2. **求和** S = Σⱼ exp(zⱼ − m)",
    "ce.step_lse": "3. **logsumexp** = m + log S",
    "ce.step_pick": "4. **取出目标项**：log_softmax(z)[{k}] = z[{k}] − logsumexp",
    "ce.step_loss": "5. **损失** L = −log_softmax(z)[{k}]",
    "ce.naive_title": "先求概率再取对数",
    "ce.naive_p": "朴素 p[{k}] = exp(z[{k}]) / Σ exp(z)",
    "ce.naive_loss": "−log(朴素 p[{k}])",
    "ce.stable_p": "稳定的 softmax(z)[{k}]",
    "ce.log_loss": "−log(softmax(z)[{k}])",
    "ce.naive_bad": (
        "目标类别的概率被舍入成 0（或 exp 溢出），于是 −log 得到 inf 或 NaN：信息在取对数之前就丢失"
        "了。"
    ),
    "ce.naive_ok": "这里的 logit 不大，两种算法结果一致。试试 1000, 0，目标类别 1。",
    "ce.smooth_title": "标签平滑",
    "ce.smooth_target": "平滑后的目标 q = (1 − ε)·onehot(y) + ε / C，其中 ε = {eps}",
    "ce.smooth_formula": (
        "L_ε = (1 − ε)·(−log_softmax(z)[y]) + ε·mean(−log_softmax(z)) = (1 − {eps})·{nll} + {eps}·{"
        "uniform}"
    ),
    "ce.smooth_loss": "**平滑后的损失**（softmaxlab.cross_entropy，label_smoothing = {eps}）",
    "ce.smooth_note": (
        "平滑要求每个类别都保留一点概率，所以损失永远到不了 0，也就不鼓励模型无限制地拉大 logit 之"
        "间的差距。PyTorch 的 cross_entropy(label_smoothing=ε) 用的是同一个定义。"
    ),
    "cmp.relu_note": (
        "ReLU 保留 logit 的尺度，而不是给出一个分布：它的值加起来是 {total}，不是 1；把 logit 加倍"
        "，它的值也加倍（总和 {doubled}）。softmax 的总和始终是 1，只是变得更尖锐（最大概率 {top} →"
        " {top2}）。"
    ),
    "cmp.ml_title": "多标签：一个背着背包的人",
    "cmp.ml_intro": (
        "一张照片里可以同时有好几样东西。用**相互独立的 sigmoid**，每个标签各自得到“是/否”的概率，"
        "所以“人”和“背包”可以同时很高。**softmax** 假定只有一个标签，只能把概率分给它们。"
    ),
    "cmp.ml_scores": "模型对这张照片的打分：{scores}。",
    "cmp.ml_sigmoid": "独立的 sigmoid（总和 {total}）",
    "cmp.ml_softmax": "一个 softmax（总和 {total}）",
    "cmp.ml_verdict": (
        "高于 {threshold} 的 sigmoid：**{labels}**，两个标签都找到了。softmax 只给出 **{label}**，"
        "另一个标签只能分到剩下的概率。"
    ),
    "cmp.ml_person": "人",
    "cmp.ml_backpack": "背包",
    "cmp.ml_dog": "狗",
    "cmp.ml_car": "汽车",
    "cmp.ml_bicycle": "自行车",
    "cmp.ovr_sample_intro": (
        "**单个样本**：选一个测试样本（在上面选的数据集上拟合两个模型），比较两个模型给它的概率。"
    ),
    "cmp.ovr_index": "测试样本（从 0 开始的索引）",
    "cmp.ovr_show": "显示这个样本",
    "cmp.err_sample": "测试样本必须是 0 到 {max} 之间的整数；收到 {value}。",
    "cmp.ovr_raw": "一对其余，原始 sigmoid",
    "cmp.ovr_norm": "一对其余，归一化后",
    "cmp.ovr_softmax": "softmax 回归",
    "cmp.ovr_sample_caption": "{dataset} 的测试样本 {index}（共 {n} 个）；真实类别：{true}（✓）。",
    "cmp.ovr_sample_note": (
        "一对其余的各个模型是分别训练的，所以原始概率加起来是 {total}，不是 1；除以这个总和只是事后"
        "把它变成一个分布。softmax 回归的概率按构造就加起来等于 1。"
    ),
    "grad.d_title": "p − y 是怎么来的",
    "grad.d_softmax": "**softmax**：pᵢ = exp(zᵢ) / S，其中 S = Σⱼ exp(zⱼ)，且 ∂S/∂zⱼ = exp(zⱼ)。",
    "grad.d_quotient": (
        "**商的求导法则**：∂pᵢ/∂zⱼ = (δᵢⱼ·exp(zᵢ)·S − exp(zᵢ)·exp(zⱼ)) / S² = pᵢ(δᵢⱼ − pⱼ)，即上面"
        "的雅可比矩阵。"
    ),
    "grad.d_log": (
        "**对数**：L = −log p[{k}]，所以 ∂L/∂zⱼ = −(1 / p[{k}])·∂p[{k}]/∂zⱼ，其中 p[{k}] = {p}。"
    ),
    "grad.d_result": (
        "**结果**：−(1 / p[{k}])·p[{k}](δ[{k}]ⱼ − pⱼ) = pⱼ − yⱼ。下表用当前的数字逐列算出这一步。"
    ),
    "grad.d_col_jac": "∂p[{k}]/∂zⱼ",
    "grad.d_col_chain": "−(1 / p[{k}])·∂p[{k}]/∂zⱼ",
    "grad.d_col_fd": "中心差分",
    "grad.d_col_diff": "|差值|",
    "grad.fd_note": (
        "**有限差分检验**：(L(z + h·eⱼ) − L(z − h·eⱼ)) / 2h，h = {h}，L 由 softmaxlab.cross_entropy"
        " 计算。与 p − y 的最大 |差值|：**{diff}**。"
    ),
    "grad.s_count": "梯度步数",
    "grad.s_title": "在这一个样本上做 {n} 步梯度下降（η = {lr}）",
    "grad.s_col_step": "步",
    "grad.s_col_loss": "损失",
    "grad.s_col_p": "p[{k}]",
    "grad.s_col_z": "z[{k}]",
    "grad.s_falls": "损失每一步都在下降，目标类别的 p 逐渐接近 1。",
    "grad.s_why": (
        "在单个样本上，每一步都让每个差距 z[y] − z[j] 增加 η·(1 − p[y] + p[j]) > 0，所以无论 η 多大"
        "损失都会下降，η 大只是下降得更快。样本多时，过大的 η 可能会越过最低点。"
    ),
}
