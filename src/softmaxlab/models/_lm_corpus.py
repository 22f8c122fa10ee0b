"""The text the tiny next-token model learns from, made by small grammars written for softmaxlab.

Nothing here is copied from anywhere: each corpus is a few sentence templates and word lists
written for this project, filled in by a fixed linear congruential generator (the same text on
every machine and every Python/NumPy version). :func:`corpus_sentences` gives the sentences
as token lists: English is split into lower-case words and punctuation, Chinese into single
characters (no word segmentation needed). The Traditional Chinese corpus is the Simplified
one with each character mapped to its Traditional form (one character to one character).

Examples
--------
>>> corpus_sentences("en")[0]
['where', 'is', 'the', 'cup', '?', 'it', 'is', 'in', 'the', 'library', '.']
>>> "".join(corpus_sentences("zh-Hans")[1])
'大伟在门口休息。'
>>> "".join(corpus_sentences("zh-Hant")[1])
'大偉在門口休息。'
"""

from __future__ import annotations

from functools import cache

__all__ = ["CORPORA", "corpus_sentences"]

CORPORA = ("en", "zh-Hans", "zh-Hant")
"""The corpora: English words, Simplified and Traditional Chinese characters."""

N_SENTENCES = 1500

_EN_WORDS: dict[str, list[str]] = {
    "animal": ("cat dog bird fox horse rabbit duck mouse goat bear owl fish frog sheep").split(),
    "name": "anna ben mia leo sara tom lily omar nina max".split(),
    "place": (
        "garden kitchen river forest park school market library field beach hill barn"
    ).split(),
    "thing": (
        "apple ball book letter basket cake kite lamp map hat cup box shoe key bottle flower"
    ).split(),
    "adj": "red small old warm quiet bright green heavy soft blue little new".split(),
    "vt": "found took saw wanted carried dropped painted opened washed hid bought lost".split(),
    "vi": "slept ran sang jumped waited walked played sat danced swam laughed rested".split(),
    "base": "play read sing run sleep swim draw dance walk jump".split(),
    "time": "morning evening night afternoon spring winter summer autumn".split(),
    "weather": "sun rain wind snow sky moon".split(),
    "wadj": "cold warm bright dark grey clear wet calm".split(),
}

_EN_TEMPLATES = (
    "the {animal} {vt} the {adj} {thing} .",
    "{name} {vi} in the {place} .",
    "the {animal} {vi} near the {place} .",
    "{name} {vt} a {thing} in the {place} .",
    "in the {time} , the {animal} {vi} by the {place} .",
    "the {weather} was {wadj} and {name} {vi} .",
    "{name} gave the {animal} a {adj} {thing} .",
    "{name} likes to {base} with the {animal} .",
    "where is the {thing} ? it is in the {place} .",
    "{name} said that the {thing} was {adj} .",
    "after the {weather} , the {animal} came back to the {place} .",
    "every {time} {name} and the {animal} {base} together .",
)

_ZH_WORDS: dict[str, list[str]] = {
    "animal": "小猫 小狗 小鸟 狐狸 兔子 老马 鸭子 熊猫 小熊 青蛙 山羊 金鱼".split(),
    "name": "小明 小红 阿华 丽丽 大伟 文文 小东 美美".split(),
    "place": "花园 厨房 河边 森林 公园 学校 市场 图书馆 田里 海边 山上 门口".split(),
    "thing": "苹果 皮球 书 信 篮子 蛋糕 风筝 台灯 地图 帽子 杯子 盒子 鞋子 钥匙 花".split(),
    "adj": "红色的 小小的 旧的 暖和的 绿色的 很重的 软软的 蓝色的 新的 好看的".split(),
    "vt": "找到了 拿走了 看见了 想要 带着 打开了 洗了 藏起了 买了 丢了 画了".split(),
    "vi": "睡着了 跑开了 唱歌 跳舞 等着 散步 玩耍 坐着 游泳 笑了 休息".split(),
    "time": "早上 晚上 夜里 下午 春天 冬天 夏天 秋天".split(),
    "weather": "太阳 雨 风 雪 天空 月亮".split(),
    "wadj": "很冷 很暖 很亮 很暗 很晴朗 很大 很安静".split(),
    "state": "旧 重 软 好看 新 干净 漂亮".split(),
}

_ZH_TEMPLATES = (
    "{animal}{vt}{adj}{thing}。",
    "{animal}在{place}{vi}。",
    "{name}在{place}{vi}。",
    "{time}，{name}在{place}{vt}{thing}。",
    "{weather}{wadj}，{animal}在{place}{vi}。",
    "{name}把{thing}送给了{animal}。",
    "{thing}在哪里？它在{place}。",
    "{name}说那个{thing}很{state}。",
    "{name}和{animal}一起{vi}。",
    "{time}的{weather}{wadj}。",
)

# Simplified → Traditional (Taiwan usage) for every character of the Chinese grammar that
# differs; the others are the same in both scripts.
_TO_TRADITIONAL = str.maketrans(
    {
        "猫": "貓",
        "鸟": "鳥",
        "马": "馬",
        "鸭": "鴨",
        "红": "紅",
        "华": "華",
        "丽": "麗",
        "伟": "偉",
        "东": "東",
        "园": "園",
        "厨": "廚",
        "边": "邊",
        "场": "場",
        "图": "圖",
        "书": "書",
        "馆": "館",
        "里": "裡",
        "篮": "籃",
        "风": "風",
        "筝": "箏",
        "灯": "燈",
        "钥": "鑰",
        "旧": "舊",
        "绿": "綠",
        "软": "軟",
        "蓝": "藍",
        "见": "見",
        "开": "開",
        "买": "買",
        "丢": "丟",
        "着": "著",
        "阳": "陽",
        "给": "給",
        "说": "說",
        "个": "個",
        "净": "淨",
        "干": "乾",
        "画": "畫",
        "门": "門",
        "鱼": "魚",
        "静": "靜",
        "学": "學",
        "带": "帶",
        "苹": "蘋",
    }
)


class _Lcg:
    """A fixed 32-bit linear congruential generator (Numerical Recipes constants)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & 0xFFFFFFFF

    def pick(self, n: int) -> int:
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return (self.state >> 8) % n


def _fill(template: str, words: dict[str, list[str]], lcg: _Lcg) -> str:
    out, rest = [], template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        slot, _, rest = tail.partition("}")
        out += [head, words[slot][lcg.pick(len(words[slot]))]]
    return "".join([*out, rest])


def _sentences(templates: tuple[str, ...], words: dict[str, list[str]]) -> list[str]:
    lcg = _Lcg(14)
    return [_fill(templates[lcg.pick(len(templates))], words, lcg) for _ in range(N_SENTENCES)]


@cache
def _corpus(name: str) -> tuple[tuple[str, ...], ...]:
    if name == "en":
        return tuple(tuple(s.split()) for s in _sentences(_EN_TEMPLATES, _EN_WORDS))
    text = _sentences(_ZH_TEMPLATES, _ZH_WORDS)
    if name == "zh-Hant":
        text = [s.translate(_TO_TRADITIONAL) for s in text]
    return tuple(tuple(s) for s in text)


def corpus_sentences(name: str) -> list[list[str]]:
    """The sentences of corpus ``name`` (one of :data:`CORPORA`) as lists of tokens."""
    if name not in CORPORA:
        from .._validation import param_error

        raise param_error("name", f"one of {', '.join(CORPORA)}", name, func="corpus_sentences")
    return [list(s) for s in _corpus(name)]
