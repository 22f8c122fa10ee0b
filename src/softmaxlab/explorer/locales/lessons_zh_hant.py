"""Traditional Chinese strings of the Action choice and Cross-entropy tabs and of the additions to
Compare and Gradients (keys ``act.``, ``ce.``, ``cmp.ml_``, ``cmp.ovr_``, ``cmp.relu_``,
``grad.d_``, ``grad.s_``, ``grad.fd_`` and their ``what.`` words), merged into :mod:`.zh_hant`.
"""

from __future__ import annotations

STRINGS: dict[str, str] = {
    "tab.action": "動作選擇",
    "act.intro": (
        "**多臂老虎機**：每個臂依自己的平均獎勵加上雜訊給出回報，代理人並不知道這些平均值。它記錄每"
        "個臂得到的平均回報，再依某種策略選擇：**softmax**（波茲曼）以機率 softmax(Q / T)ₐ 選臂 a，"
        "接近最好的臂常被嘗試，明顯差的臂很少被選；**ε-貪婪**選目前看起來最好的臂，並以機率 ε 隨機"
        "選任意一個臂；**均勻**策略從不學習。遺憾（regret）是與一直拉最好的臂相比損失的獎勵。"
    ),
    "act.arms": "臂的數量",
    "act.steps": "每次執行的步數",
    "act.runs": "執行次數（取平均）",
    "act.temperature": "Softmax 溫度 T",
    "act.epsilon": "ε-貪婪的 ε",
    "act.seed": "隨機種子",
    "act.run": "執行老虎機",
    "act.err_int": "{what}必須是 {low} 到 {high} 之間的整數；收到 {value}。",
    "act.settings": (
        "{arms} 個臂，{steps} 步，{runs} 次執行的平均；T = {t}，ε = {eps}，種子 {seed}。最好的臂是 "
        "{best}（★）。"
    ),
    "act.regret_title": "累積遺憾（越低越好）",
    "act.regret_note": "均勻選擇每一步損失相同，所以它的線是直的；會學習的策略會讓線逐漸變平。",
    "act.regret_axis": "遺憾",
    "act.step": "步",
    "act.prob_axis": "機率",
    "act.policy_title": "Softmax 策略每一步的機率",
    "act.policy_note": (
        "每種顏色代表一個臂，色帶的高度是 softmax(Q / T) 給它的機率（各次執行的平均）。T 很大時各色"
        "帶一樣寬（均勻）；T 很小時最好的臂的色帶會逐漸佔滿整張圖。"
    ),
    "act.summary_title": "彙總",
    "act.policy": "策略",
    "act.final_regret": "最後一步後的遺憾",
    "act.best_rate": "選中最好的臂的比例（最後幾步）",
    "act.tail_note": "最後一欄是最後 {tail} 步的平均。",
    "act.probs_title": "幾個時刻 softmax 給每個臂的機率",
    "act.arm": "臂",
    "act.mean": "真實平均值",
    "act.at_step": "第 {step} 步",
    "act.policy_softmax": "softmax（波茲曼）",
    "act.policy_epsilon_greedy": "ε-貪婪",
    "act.policy_uniform": "均勻",
    "what.arms": "臂的數量",
    "what.steps": "步數",
    "what.runs": "執行次數",
    "what.epsilon": "ε",
    "what.seed": "隨機種子",
    "what.smoothing": "標籤平滑",
    "what.grad_steps": "梯度步數",
    "tab.cross_entropy": "交叉熵",
    "ce.intro": (
        "**由 logit 直接計算交叉熵**：L = −log softmax(z)ᵧ = logsumexp(z) − zᵧ。從 logit 出發計算不"
        "會產生被捨入成 0 的機率，所以 logit 很大時結果仍是有限值；先算 log(softmax(z)) 則不然。試"
        "試 1000, 0，目標類別 1：真正的損失是 1000。"
    ),
    "ce.logits": "Logit（用逗號分隔）",
    "ce.target": "目標類別 y（從 0 開始的索引）",
    "ce.smoothing": "標籤平滑 ε",
    "ce.run": "計算",
    "ce.steps_title": "逐步計算",
    "ce.col_shifted": "z − max",
    "ce.col_exp": "exp(z − max)",
    "ce.col_log_softmax": "log_softmax = z − logsumexp",
    "ce.col_naive_exp": "樸素 exp(z)",
    "ce.col_log_of_softmax": "log(softmax(z))",
    "ce.good_title": "由 logit 計算（softmaxlab.cross_entropy）",
    "ce.step_max": "1. **最大的 logit** m = max z",
    "ce.step_sum": "2. **求和** S = Σⱼ exp(zⱼ − m)",
    "ce.step_lse": "3. **logsumexp** = m + log S",
    "ce.step_pick": "4. **取出目標項**：log_softmax(z)[{k}] = z[{k}] − logsumexp",
    "ce.step_loss": "5. **損失** L = −log_softmax(z)[{k}]",
    "ce.naive_title": "先求機率再取對數",
    "ce.naive_p": "樸素 p[{k}] = exp(z[{k}]) / Σ exp(z)",
    "ce.naive_loss": "−log(樸素 p[{k}])",
    "ce.stable_p": "穩定的 softmax(z)[{k}]",
    "ce.log_loss": "−log(softmax(z)[{k}])",
    "ce.naive_bad": (
        "目標類別的機率被捨入成 0（或 exp 溢位），於是 −log 得到 inf 或 NaN：資訊在取對數之前就遺失"
        "了。"
    ),
    "ce.naive_ok": "這裡的 logit 不大，兩種算法結果一致。試試 1000, 0，目標類別 1。",
    "ce.smooth_title": "標籤平滑",
    "ce.smooth_target": "平滑後的目標 q = (1 − ε)·onehot(y) + ε / C，其中 ε = {eps}",
    "ce.smooth_formula": (
        "L_ε = (1 − ε)·(−log_softmax(z)[y]) + ε·mean(−log_softmax(z)) = (1 − {eps})·{nll} + {eps}·{"
        "uniform}"
    ),
    "ce.smooth_loss": "**平滑後的損失**（softmaxlab.cross_entropy，label_smoothing = {eps}）",
    "ce.smooth_note": (
        "平滑要求每個類別都保留一點機率，所以損失永遠到不了 0，也就不鼓勵模型無限制地拉大 logit 之"
        "間的差距。PyTorch 的 cross_entropy(label_smoothing=ε) 用的是同一個定義。"
    ),
    "cmp.relu_note": (
        "ReLU 保留 logit 的尺度，而不是給出一個分佈：它的值加起來是 {total}，不是 1；把 logit 加倍"
        "，它的值也加倍（總和 {doubled}）。softmax 的總和始終是 1，只是變得更尖銳（最大機率 {top} →"
        " {top2}）。"
    ),
    "cmp.ml_title": "多標籤：一個背著背包的人",
    "cmp.ml_intro": (
        "一張照片裡可以同時有好幾樣東西。用**相互獨立的 sigmoid**，每個標籤各自得到「是／否」的機率"
        "，所以「人」和「背包」可以同時很高。**softmax** 假定只有一個標籤，只能把機率分給它們。"
    ),
    "cmp.ml_scores": "模型對這張照片的評分：{scores}。",
    "cmp.ml_sigmoid": "獨立的 sigmoid（總和 {total}）",
    "cmp.ml_softmax": "一個 softmax（總和 {total}）",
    "cmp.ml_verdict": (
        "高於 {threshold} 的 sigmoid：**{labels}**，兩個標籤都找到了。softmax 只給出 **{label}**，"
        "另一個標籤只能分到剩下的機率。"
    ),
    "cmp.ml_person": "人",
    "cmp.ml_backpack": "背包",
    "cmp.ml_dog": "狗",
    "cmp.ml_car": "汽車",
    "cmp.ml_bicycle": "腳踏車",
    "cmp.ovr_sample_intro": (
        "**單一樣本**：選一個測試樣本（在上面選的資料集上擬合兩個模型），比較兩個模型給它的機率。"
    ),
    "cmp.ovr_index": "測試樣本（從 0 開始的索引）",
    "cmp.ovr_show": "顯示這個樣本",
    "cmp.err_sample": "測試樣本必須是 0 到 {max} 之間的整數；收到 {value}。",
    "cmp.ovr_raw": "一對其餘，原始 sigmoid",
    "cmp.ovr_norm": "一對其餘，正規化後",
    "cmp.ovr_softmax": "softmax 迴歸",
    "cmp.ovr_sample_caption": "{dataset} 的測試樣本 {index}（共 {n} 個）；真實類別：{true}（✓）。",
    "cmp.ovr_sample_note": (
        "一對其餘的各個模型是分別訓練的，所以原始機率加起來是 {total}，不是 1；除以這個總和只是事後"
        "把它變成一個分佈。softmax 迴歸的機率依構造就加起來等於 1。"
    ),
    "grad.d_title": "p − y 是怎麼來的",
    "grad.d_softmax": "**softmax**：pᵢ = exp(zᵢ) / S，其中 S = Σⱼ exp(zⱼ)，且 ∂S/∂zⱼ = exp(zⱼ)。",
    "grad.d_quotient": (
        "**商的微分法則**：∂pᵢ/∂zⱼ = (δᵢⱼ·exp(zᵢ)·S − exp(zᵢ)·exp(zⱼ)) / S² = pᵢ(δᵢⱼ − pⱼ)，即上面"
        "的雅可比矩陣。"
    ),
    "grad.d_log": (
        "**對數**：L = −log p[{k}]，所以 ∂L/∂zⱼ = −(1 / p[{k}])·∂p[{k}]/∂zⱼ，其中 p[{k}] = {p}。"
    ),
    "grad.d_result": (
        "**結果**：−(1 / p[{k}])·p[{k}](δ[{k}]ⱼ − pⱼ) = pⱼ − yⱼ。下表用目前的數字逐欄算出這一步。"
    ),
    "grad.d_col_jac": "∂p[{k}]/∂zⱼ",
    "grad.d_col_chain": "−(1 / p[{k}])·∂p[{k}]/∂zⱼ",
    "grad.d_col_fd": "中心差分",
    "grad.d_col_diff": "|差值|",
    "grad.fd_note": (
        "**有限差分檢驗**：(L(z + h·eⱼ) − L(z − h·eⱼ)) / 2h，h = {h}，L 由 softmaxlab.cross_entropy"
        " 計算。與 p − y 的最大 |差值|：**{diff}**。"
    ),
    "grad.s_count": "梯度步數",
    "grad.s_title": "在這一個樣本上做 {n} 步梯度下降（η = {lr}）",
    "grad.s_col_step": "步",
    "grad.s_col_loss": "損失",
    "grad.s_col_p": "p[{k}]",
    "grad.s_col_z": "z[{k}]",
    "grad.s_falls": "損失每一步都在下降，目標類別的 p 逐漸接近 1。",
    "grad.s_why": (
        "在單一樣本上，每一步都讓每個差距 z[y] − z[j] 增加 η·(1 − p[y] + p[j]) > 0，所以無論 η 多大"
        "損失都會下降，η 大只是下降得更快。樣本多時，過大的 η 可能會越過最低點。"
    ),
}
