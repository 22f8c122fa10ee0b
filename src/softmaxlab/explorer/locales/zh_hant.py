"""The explorer's strings in 繁體中文 (zh-Hant): one entry per key, as a plain dict.

Keys are grouped by tab (``sm.`` Softmax, ``cmp.`` Compare, ``prec.`` Precision, ``nt.`` Next
token, ``dg.`` Draw a digit, ``tr.`` Train, ``grad.`` Gradients, ``err.`` messages about bad
entries). Placeholders use :meth:`str.format` syntax and are the same in every language
(``tests/explorer/test_i18n.py`` checks it).
"""

from __future__ import annotations

from .lessons_zh_hant import STRINGS as LESSONS

STRINGS: dict[str, str] = {
    # -------------------------------------------------------------- page
    "app.title": "softmaxlab 探索器",
    "app.intro": (
        "動手玩 softmax：拖動滑桿、改變溫度、試試預設。本頁的每個數字都由 softmaxlab "
        "自己的函式計算（拖動滑桿時，長條圖由頁面自己先畫出；放開後換成 softmaxlab 的結果）。"
    ),
    "app.language": "語言",
    "gradio.complete": "完成",
    "tab.softmax": "Softmax",
    "tab.compare": "比較",
    "tab.precision": "數值精度",
    "tab.gradients": "梯度",
    # ------------------------------------------------------- softmax tab
    "sm.formula": (
        "**softmax(z)ᵢ = exp(zᵢ / T) / Σⱼ exp(zⱼ / T)** —— 為了數值穩定，實際計算 exp(zᵢ/T − "
        "max) / Σⱼ exp(zⱼ/T − max)。"
    ),
    "sm.names": "類別名稱（用逗號分隔）",
    "sm.rename": "重新命名",
    "sm.add": "新增類別（最多 10 個）",
    "sm.remove": "刪除最後一個類別（至少 2 個）",
    "sm.temperature": "溫度 T（滑桿按對數刻度從 0.05 移到 10；也可以在框中輸入 T）",
    "sm.t_box": "T（0.05 到 10）",
    "sm.sweep_title": "贏者通吃：溫度 T 變化時每個類別的機率",
    "sm.sweep_axis": "溫度 T（對數刻度）",
    "sm.sweep_note": (
        "T 降向 0 時，最大的 logit 拿走全部機率（softmax 趨向 argmax）；T 增大時，每個類別都趨向 "
        "1/n。虛線是目前的 T = {t}。"
    ),
    "sm.simplex_title": "機率單純形（3 個類別）",
    "sm.simplex_note": (
        "3 個類別的每個機率向量都是這個三角形中的一個點：頂點是獨熱向量，灰色中心是均勻分布"
        "（各 1/3）。虛線是 T 從 0.05（靠近勝出者的頂點）到 10（靠近中心）時 p 走過的路徑；"
        "橘色圓點是目前的 p。"
    ),
    "sm.simplex_n": "單純形只在恰好 3 個類別時畫出（現在有 {n} 個）：增加或刪除類別即可看到。",
    "sm.presets": "預設",
    "preset.seed_a": "3, 1, −3",
    "preset.seed_b": "1, 2, 3",
    "preset.equal": "全部相等",
    "preset.small_a": "小差距：1, 1, 1.5",
    "preset.small_b": "小差距：1, 1, 2.0",
    "preset.large": "大差距：−5, −5, 5",
    "preset.negative": "全為負數：−2, −1, −1",
    "preset.shift": "所有 logit 加同一個常數",
    "sm.t_value": "溫度 T = {t}",
    "sm.chart_title": "機率",
    "sm.winner": "勝出",
    "sm.tie": "並列",
    "col.class": "類別",
    "col.logit": "logit z",
    "col.scaled": "z / T",
    "col.shifted": "z/T − max",
    "col.exp": "exp(z/T − max)",
    "col.prob": "機率",
    "col.percent": "%",
    "sm.steps": "逐步計算",
    "sm.sum_label": "求和檢驗",
    "sm.sum": "Σ p = {total}（|Σ p − 1| = {error}；預期不超過約 n·ε = {bound}）",
    "sm.sum_note": (
        "每個機率都被捨入到最近的 float64（ε = 2.2e-16），所以總和可能與 1 相差幾個 ε。"
        "這是浮點捨入，不是錯誤：比較時請使用容差，不要用 ==。"
    ),
    "sm.sum_ok": "在容差之內",
    "sm.sum_bad": "超出容差",
    "sm.entropy": (
        "熵 H = −Σ p log p = {nats} nats = {bits} bits（所有類別等可能時達到最大值 log n = "
        "{max_nats} nats）。"
    ),
    "sm.explain_gap": (
        "勝出者 **{winner}** 的 logit 比第二名 **{second}** 高 {gap}；除以 T = {t} 後差距為 "
        "{scaled}，所以勝出者的機率約為第二名的 e^{scaled} ≈ {ratio} 倍。"
    ),
    "sm.explain_tie": "最高的類別並列（{winners}）：softmax 把機率平均分給它們。",
    "sm.explain_rule": (
        "**贏者全拿：** 兩個機率之比等於 exp(差距 / T)。差距越大或溫度越低，這個比值增長得越快，"
        "softmax 就越接近 argmax（獨熱向量）。溫度升高時，每個類別都趨向 1/n。給所有 logit "
        "加同一個常數不會改變結果：只有差值才重要。"
    ),
    "sm.regime_wta": "此時勝出者已拿到 {p} 的機率：幾乎是獨熱向量。",
    "sm.regime_flat": "此時分佈接近均勻（熵達到最大值的 {pct}）。",
    "sm.shifted": "給每個 logit 加了 {c}：機率沒有變化（最大變化 {change}）。",
    # ------------------------------------------------------- compare tab
    "cmp.intro": (
        "同一組 logit 經過五種映射。**softmax**：互斥類別上的平滑分佈。**sigmoid**："
        "每個類別獨立判斷（多標籤），所以總和不必為 1。**argmax**：硬選擇（獨熱）。"
        "**sparsemax**：類似 softmax，但可以給出精確的 0。**ReLU** max(z, 0)：活化函數，"
        "不是機率分佈。"
    ),
    "cmp.logits": "Logit（用逗號分隔）",
    "cmp.run": "比較",
    "cmp.sum": "總和",
    "cmp.zeros": "sparsemax 給 {n} 個類別中的 {k} 個精確的 0；softmax 一個也不會給 0。",
    # ----------------------------------------------------- precision tab
    "prec.intro": (
        "為什麼 softmaxlab 在取指數之前先減去最大值：在 float64 中 exp(1000) 會溢位為 inf，而 "
        "inf / inf 是 NaN。減去最大值在數學上不改變結果（平移不變性），卻讓每個指數都 ≤ 0。"
    ),
    "prec.logits": "Logit（用逗號分隔）",
    "prec.run": "計算",
    "prec.example_large": "1000, 999, 998",
    "prec.example_log": "1000, 1",
    "prec.naive_title": "樸素的 exp(z) / Σ exp(z) 與穩定形式",
    "col.naive_exp": "exp(z)",
    "col.naive_p": "樸素 p",
    "col.stable_exp": "exp(z − max)",
    "col.stable_p": "穩定 p（softmaxlab）",
    "prec.naive_bad": "樸素形式產生了 {bad} 個非有限值（inf 或 NaN）。",
    "prec.naive_ok": "這裡兩種形式結果一致：logit 夠小。試試 1000, 999, 998。",
    "prec.dtype_title": "各種精度下機率之和",
    "col.dtype": "資料型別",
    "col.eps": "機器 ε",
    "col.sum": "Σ p",
    "col.sum_err": "|Σ p − 1|",
    "col.in_eps": "|Σ p − 1| / ε",
    "prec.dtype_note": (
        "一般來說，捨入後的機率之和與 1 的差距最多是該精度自身 ε 的幾倍："
        "float16 約 3 位有效數字，float32"
        " 約 7 位，float64 約 16 位。超出型別範圍的 logit 會變成 ±inf（float16 最大為 65504）。"
    ),
    "prec.sum_exact": "{dtype}：這裡 Σ p 恰好等於 1（捨入誤差相互抵消）",
    "prec.sum_missed": "{dtype}：Σ p 與 1 相差 {k} ε",
    "prec.sum_nan": "{dtype}：Σ p 是 NaN（有 logit 為 ±inf 或 NaN，而 inf − inf 是 NaN）",
    "prec.sum_sep": "。",
    "prec.log_nan": (
        "這裡的機率是 NaN（有 logit 為 ±inf 或 NaN），所以 log(softmax) 和 log_softmax 都沒有定義，"
        "也談不上下溢。試試 1000, 1：softmax 給第二類 0，log(0) = −inf，而 log_softmax 給出 −999。"
    ),
    "prec.log_title": "log(softmax(z)) 與 log_softmax(z)",
    "col.log_of_softmax": "log(softmax(z))",
    "col.log_softmax": "log_softmax(z)",
    "prec.log_bad": (
        "有 {k} 個機率下溢為 0，所以 log(softmax) 給出 −inf，而 log_softmax（z − logsumexp(z)）"
        "仍然有限。計算損失時請使用 log_softmax。"
    ),
    "prec.log_ok": (
        "這裡沒有機率下溢，所以兩者一致。試試 1000, 1：softmax 給第二類 0，log(0) = −inf，而 "
        "log_softmax 給出 −999。"
    ),
    # ----------------------------------------------------- gradients tab
    "grad.intro": (
        "softmax 的雅可比矩陣為 J = diag(p) − p pᵀ：Jᵢⱼ = pᵢ(δᵢⱼ − pⱼ)。由於機率之和恆為 1，"
        "每一列之和為 0。使用交叉熵損失和目標類別 y 時，對 logit 的梯度就是 p − y（y 為獨熱向量）"
        "。"
    ),
    "grad.logits": "Logit（用逗號分隔）",
    "grad.target": "目標類別（從 0 開始的索引）",
    "grad.lr": "學習率 η",
    "grad.run": "計算",
    "grad.jacobian_title": "Softmax 雅可比矩陣 ∂pᵢ/∂zⱼ",
    "grad.row_sums": "最大的 |列和| = {value}（在捨入誤差內為 0）。",
    "grad.step_title": "交叉熵梯度與一步梯度下降",
    "col.p": "p",
    "col.y": "y",
    "col.grad": "p − y",
    "col.z_new": "z − η(p − y)",
    "col.p_new": "新的 p",
    "grad.loss": (
        "損失 −log p_y：{before} → {after}（η = {lr} 的一步之後）。目標類別的 logit 增加 η(1 − "
        "p_y)，其餘每個 logit 減少 η·pᵢ。"
    ),
    # ---------------------------------------------------- next-token tab
    "tab.next_token": "下一個詞元",
    "nt.intro": (
        "語言模型為詞表中的每個詞元打分；softmax 把分數變成下一個詞元的機率。"
        "解碼設定會在抽取詞元之前重塑這個分佈。編輯詞表（每行一個 `詞元: logit`）和各項設定。"
    ),
    "nt.prompt": "提示：「The cat sat on the …」（貓坐在……上）—— 下一個詞是什麼？",
    "nt.vocab": "詞表（詞元: logit，每行一個）",
    "nt.temperature": "溫度（0 = 貪婪）",
    "nt.top_k": "top-k（0 = 關閉）",
    "nt.top_p": "top-p（1 = 關閉）",
    "nt.min_p": "min-p（0 = 關閉）",
    "nt.n": "抽樣次數 N",
    "nt.seed": "隨機種子",
    "nt.sample": "抽樣 N 次",
    "nt.base": "原始分佈 softmax(z)",
    "nt.processed": "套用解碼設定之後",
    "nt.removed": "已移除",
    "nt.pipeline": "處理流程（按此順序套用）",
    "nt.step_temperature": "1. 溫度 T = {t}：z → z / T{greedy}",
    "nt.greedy_note": "（T = 0：貪婪，只保留最高的詞元）",
    "nt.step_top_k": "2. top-k {value}：剩下 {n} 個中的 {kept} 個詞元",
    "nt.step_top_p": "3. top-p {value}：剩下 {n} 個中的 {kept} 個詞元",
    "nt.step_min_p": "4. min-p {value}：剩下 {n} 個中的 {kept} 個詞元",
    "nt.step_renorm": "5. 對剩下的詞元做 softmax（機率之和重新為 1）。",
    "nt.off": "關閉",
    "nt.choice": (
        "貪婪選擇：**{greedy}**。一次抽樣選擇（種子 {seed}）：**{sampled}**。處理後的熵："
        "{entropy} nats。"
    ),
    "nt.hist_title": "{n} 次抽樣的經驗頻率（深色）與理論機率（淺色）",
    "nt.hist_seed": (
        "本次使用隨機種子 {seed}。"
        "種子框已前進到 {next}，再按一次按鈕會抽取新的樣本；輸入 {seed} 可重現這一次。"
    ),
    "nt.hist_note": (
        "頻率與機率之間的最大差距：{gap}（大致按 1/√N 縮小）。已移除的詞元永遠不會被抽到。"
    ),
    # ------------------------------------------- next token, real model (helper I)
    "tab.lm": "下一個詞元（真實模型）",
    "lm.intro": (
        "一個真實的小型語言模型：**二元（bigram）** softmax 迴歸，由 softmaxlab 自己的 "
        "`SoftmaxRegression` 在專為本專案撰寫的短句上訓練（英文按單字，中文按漢字）。對前一個"
        "詞元 u，它為每個詞元 v 算出一個 logit：**zᵥ = bᵥ + Wᵥᵤ**，並且 P(下一個 = v) = "
        "softmax(z)ᵥ。輸入提示，查看下一個詞元的真實 logits；用溫度、top-k、top-p 和 min-p "
        "解碼；每次追加一個抽樣得到的詞元，或一次生成多個。"
    ),
    "lm.corpus": "訓練文本（首次開啟本頁時訓練一次，約一秒）",
    "lm.prompt": "提示",
    "lm.temperature": "溫度（0 = 貪婪）",
    "lm.top_k": "top-k（0 = 關閉）",
    "lm.top_p": "top-p（1 = 關閉）",
    "lm.min_p": "min-p（0 = 關閉）",
    "lm.seed": "隨機種子",
    "lm.step": "追加下一個詞元 ▸",
    "lm.n": "要生成的詞元數",
    "lm.generate": "生成",
    "lm.waiting": "模型正在用它的文本訓練（約一秒）；logits 將顯示在這裡。",
    "lm.model": (
        "模型：要預測的詞元 {vocabulary} 個，用 {n_tokens} 個「下一個詞元」樣本擬合，耗時 "
        "{seconds} 秒（SoftmaxRegression 的 Newton-CG 迭代 {n_iter} 次，C = {C}）。"
    ),
    "lm.read": "模型讀到的是：",
    "lm.empty_prompt": "（還沒有內容：句子的開頭）",
    "lm.unk": (
        "不在詞表中，按 <unk> 讀取：{words}。<unk> 沒有自己的權重，所以緊跟其後的 logits 只有"
        "截距 b（大致是各詞元在任何位置出現為下一個詞元的頻繁程度）。"
    ),
    "lm.context": "下一個詞元由前一個詞元預測：{token}（<s> = 句子開頭）。",
    "lm.top_title": "下一個詞元最大的 {k} 個 logits（共 {n} 個）",
    "lm.col_rank": "#",
    "lm.col_token": "詞元",
    "lm.col_logit": "logit z",
    "lm.col_p": "softmax(z)",
    "lm.col_pp": "解碼之後",
    "lm.col_cum": "累積機率（top-p）",
    "lm.col_status": "狀態",
    "lm.cum_heading": "累積機率（最可能的詞元在前）",
    "lm.cum_greedy": "T = 0 即貪婪解碼：只保留最大的詞元，不套用 top-p。",
    "lm.cum_off": "top-p 已關閉（1）：所有詞元都保留。把 top-p 調到 1 以下即可看到截斷。",
    "lm.cum_title": (
        "每一段是一個詞元在 top-k 之後的機率 softmax(z / T)。top-p = {p} 按機率從大到小保留詞元，"
        "直到累積質量達到 {p}，越過這條線的那個詞元也保留：{n} 個詞元中保留 {kept} 個（藍色），"
        "灰色的被截掉。"
    ),
    "lm.choice": "貪婪：**{greedy}** · 用種子 {seed} 抽樣：**{sampled}**（追加按鈕會追加這一個）",
    "lm.generated_title": "用種子 {seed} 生成了 {n} 個詞元（底色深淺：各自被抽中的機率）",
    "lm.ended": "模型抽到了 </s>，即句子結束。修改種子、設定或提示即可繼續。",
    "what.lm_tokens": "詞元數",
    "err.lm_corpus": "未知的訓練文本 {value}；請從選項中選擇一個。",
    "col.token": "詞元",
    "col.freq": "頻率",
    "what.vocab": "詞表",
    "what.tokens": "詞元",
    "err.vocab_entry": "第 {index} 行（'{value}'）不是「詞元: logit」的格式。",
    "err.duplicate_token": "詞元 '{label}' 出現了不只一次；每個詞元只能列出一次。",
    # ----------------------------------------- one-vs-rest (compare tab)
    "ovr.title": "一對其餘（one-vs-rest）與 softmax 迴歸",
    "ovr.intro": (
        "一對其餘為每個類別獨立訓練一個 sigmoid 分類器，再把分數正規化；softmax "
        "迴歸只訓練一個模型，其機率之和天然為 1。兩者在同一個小型內建資料集的相同劃分上訓練。"
    ),
    "ovr.dataset": "資料集",
    "ovr.run": "訓練兩個模型",
    "ovr.summary": "{dataset}：{k} 個類別，{n_train} 個訓練樣本，{n_test} 個測試樣本。",
    "col.model": "模型",
    "col.accuracy": "測試準確率",
    "col.log_loss": "測試對數損失",
    "col.fit_time": "訓練時間（秒）",
    "col.n_params": "參數個數",
    # -------------------------------------------------- draw-a-digit tab
    "tab.digit": "手寫數字",
    "dg.intro": (
        "畫一個 0 到 9 的數字（畫筆已選好）。影像會被裁切、置中並縮小為 8×8 像素（取值 0–16），"
        "與 scikit-learn 的 digits 資料一致；在這些數字上訓練的 softmax 迴歸給出十個機率。"
    ),
    "dg.none": (
        "softmax 無法回答「都不是」：它總是把全部機率分給這十個數字，所以一個點或一筆亂塗也會得到"
        "一個看起來很有把握的類別。能夠拒絕回答的模型需要額外的「其他」類別，或者給置信度設一個閾值。"
    ),
    "gradio.brush": "畫筆",
    "gradio.erase": "橡皮擦",
    "gradio.color": "顏色",
    "gradio.brush_size": "畫筆大小",
    "gradio.clear_canvas": "清除畫布",
    "gradio.pan": "平移",
    "gradio.redo": "重做",
    "gradio.zoom_in": "放大",
    "gradio.zoom_out": "縮小",
    "gradio.select_draw_tool": "選擇畫筆後開始繪製",
    "gradio.aria_number": "{label} 的數字輸入框",
    "gradio.aria_range": "{label} 的滑桿",
    "gradio.aria_reset": "恢復預設值",
    "gradio.aria_upload": "點擊上傳或拖放檔案",
    "gradio.aria_undo": "復原",
    "gradio.aria_file": "檔案上傳",
    "dg.pad": "你的繪圖",
    "dg.calibrated": "使用溫度縮放（校準後的機率）",
    "dg.seen": "模型看到的影像（8×8）",
    "dg.top3": "前三名：{top}",
    "dg.temperature": "在保留的數字上擬合的溫度：T = {t}（{state}）。",
    "dg.on": "已套用",
    "dg.off": "未套用",
    "dg.empty": "畫一個數字來查看它的機率。",
    # --------------------------------------------- train & calibrate tab
    "tab.train": "訓練與校準",
    "tr.intro": (
        "在內建資料集上訓練 softmax 迴歸（60 % 訓練、20 % 驗證、20 % 測試），"
        "再在驗證集上擬合一個溫度 T。溫度縮放從不改變預測的類別，只改變模型的自信程度；"
        "可靠度圖和期望校準誤差（ECE）顯示自信程度是否與準確率相符。"
    ),
    "tr.dataset": "資料集",
    "tr.c": "正則化強度的倒數 C",
    "tr.max_iter": "最大迭代次數",
    "tr.run": "訓練",
    "tr.progress_data": "載入資料",
    "tr.progress_fit": "訓練 softmax 迴歸",
    "tr.progress_calibrate": "擬合溫度",
    "tr.progress_score": "評估",
    "tr.progress_done": "完成",
    "tr.summary": (
        "{dataset}：{n_iter} 次迭代；準確率 {train_acc}（訓練）、{test_acc}（測試）。擬合的溫度 "
        "T = {t}。在測試集上，縮放後 ECE {ece_before} → {ece_after}，對數損失 {nll_before} → "
        "{nll_after}。"
    ),
    "tr.loss": "每次迭代的訓練損失",
    "tr.confusion": "測試集上的混淆矩陣（列：真實類別，欄：預測類別）",
    "tr.reliability_before": "縮放前的可靠度圖",
    "tr.reliability_after": "縮放後的可靠度圖（T = {t}）",
    "tr.reliability_note": (
        "柱：每個信賴度區間內的準確率；虛線：完美校準；柱低於虛線表示過度自信，高於表示自信不足。"
    ),
    "tr.confidence": "信賴度",
    "tr.accuracy": "準確率",
    "tr.iteration": "迭代",
    "tr.press": "選擇一個資料集，然後點擊「訓練」。",
    "err.empty_drawing": "繪圖是空的：請先用畫筆畫一個數字。",
    "err.model_training": "數字模型仍在訓練中；請幾秒後再試。",
    "err.dataset": "未知的資料集 '{value}'；請從 {allowed} 中選擇。",
    # Action choice, Cross-entropy and the Compare/Gradients additions: in .lessons_zh_hant.
    **LESSONS,
    # ---------------------------------------------------------- messages
    "punct.colon": "：",
    "punct.list": "、",
    "err.title": "請檢查輸入",
    "err.empty": "{what}列表為空：請輸入至少 {min} 個用逗號分隔的值。",
    "err.too_few": "請至少輸入 {min} 個{what}；收到 {n} 個。",
    "err.too_many": "最多輸入 {max} 個{what}；收到 {n} 個。",
    "err.not_number": "'{value}' 不是數字（{what}中的第 {index} 項）。",
    "err.not_finite": "{what}中的第 {index} 項為 {value}；這裡只允許有限的數。",
    "err.duplicate": "標籤 '{label}' 出現了不只一次；標籤必須互不相同。",
    "err.blank_label": "第 {index} 個標籤為空；請給每個類別命名。",
    "err.count_mismatch": "{n_classes} 個類別卻有 {n_names} 個名稱；請為每個類別給出一個名稱。",
    "err.target": "目標類別必須是 0 到 {max} 之間的整數；收到 {value}。",
    "err.range": "{what}必須在 [{low}, {high}] 範圍內；收到 {value}。",
    "err.internal": "計算時出現問題（{kind}）。頁面仍可使用：修改輸入後再試一次。",
    "what.logits": "logit",
    "what.labels": "標籤",
    "what.classes": "類別",
    "what.lr": "學習率",
    "what.temperature": "溫度",
    "what.logit": "logit 值",
    "err.entry_range": "{what}：{value} 超出允許範圍 [{low}, {high}]，已改為 {fixed}。",
    "err.entry_empty": "{what}：輸入框是空的，已恢復為 {fixed}。",
    "err.entry_not_number": "{what}：{value} 不是數字，已恢復為 {fixed}。",
    "err.entry_not_finite": "{what}：{value} 不是有限的數，已恢復為 {fixed}。",
    "err.entry_integer": "{what}：只能輸入整數，{value} 已四捨五入為 {fixed}。",
    # ------------------------------- helper E: Σ row, train warnings, attention, segmentation
    "sm.col_divide": "exp ÷ Σ = {p}",
    "sm.sum_steps": (
        "逐步：先對每個 z/T − max 取指數（exp 欄），再把它們加起來（Σ 列：Σ exp = {exp_sum}），"
        "最後用每個 exp 除以這個和（÷ Σ 欄）。"
    ),
    "tr.warn_lower": (
        "溫度停在了下限 {bound}：校準集（{n_val} 個樣本）被完全分對，"
        "所以校準無法判斷模型有多過度自信。"
        "請謹慎看待擬合出的 T 和縮放後的指標。"
    ),
    "tr.warn_upper": (
        "溫度停在了上限 {bound}：在校準集（{n_val} 個樣本）上模型幾乎不比均勻猜測好，"
        "擬合出的 T 不可靠。"
    ),
    "tr.warn_iter": (
        "擬合在 {n_iter} 次迭代內沒有收斂：請提高最大迭代次數，或減小 C（加強正則化）。"
    ),
    "tab.attention": "注意力",
    "att.intro": (
        "**注意力**：每個詞元提出一個查詢 q，每個詞元提供一個鍵 k 和一個值 v。"
        "分數是 q·k / √d；對每一列做 softmax，得到和為 1 的權重，每個詞元的輸出就是值的加權和。"
        "這裡的向量是固定的、由種子產生的小向量，並非訓練好的模型。"
    ),
    "att.tokens": "詞元（用空格分隔）",
    "att.run": "計算",
    "att.examples": "範例句子",
    "att.example_1": "小貓 坐 在 墊子 上",
    "att.example_2": "她 把 茶 倒進 杯子",
    "att.example_3": "softmax 把 分數 變成 權重",
    "att.causal": "因果遮罩（每個詞元只看到自己和前面的詞元）",
    "att.query": "查詢詞元（位置）",
    "att.corner": "查詢 ↓ 鍵 →",
    "att.dim": "維",
    "att.mask_on": "因果遮罩已開啟：查詢之後的鍵分數為 −∞，所以其權重恰好為 0。",
    "att.mask_off": "因果遮罩已關閉：每個詞元都關注所有詞元。",
    "att.scores_heading": "分數 q·k / √d（縮放 {scale}）",
    "att.weights_heading": "權重：對每一列做 softmax（灰色：被遮罩，權重為 0）",
    "att.sum": "列和 Σ",
    "att.output_heading": "輸出：每一列是值的加權和",
    "att.query_heading": "查詢 {n}「{token}」的權重",
    "att.mix": "輸出 {n} = {terms} = （{out}）",
    "what.att_query": "查詢位置",
    "tab.segmentation": "影像分割",
    "seg.intro": (
        "**逐像素 softmax**：這張產生的小圖（天空、地面、一顆橙色的球，再加上雜訊）中，"
        "每個像素根據顏色為每個類別得到一個分數；沿類別軸做 softmax，把每個像素的分數變成機率，"
        "標籤圖顯示每個像素最可能的類別。"
    ),
    "seg.temperature": "溫度 T",
    "seg.noise": "雜訊（標準差）",
    "seg.seed": "雜訊種子",
    "seg.row": "選中的像素：列",
    "seg.col": "選中的像素：欄",
    "seg.class_sky": "天空",
    "seg.class_ground": "地面",
    "seg.class_object": "球",
    "seg.image": "影像",
    "seg.prob_map": "p（{name}）",
    "seg.label_map": "標籤圖（argmax）",
    "seg.counts": "各標籤的像素數：{counts}。",
    "seg.pixel_heading": "像素（第 {row} 列，第 {col} 欄）",
    "seg.pixel_scores": "分數：{scores}；T = {t} 時的 softmax：",
    "seg.sum": "該像素的 Σp = {total}；所有像素中最大的 |Σp − 1| 為 {worst}。",
    "seg.sep": "，",
    "what.seg_noise": "雜訊水準",
    "what.seg_seed": "種子",
    "what.seg_row": "列",
    "what.seg_col": "欄",
}
