"""Alternative answers for Day 03 (hidden layers and parameters): correct ones written other ways, and
classic mistakes."""


def build(body: str) -> str:
    return f"def build_mlp(sizes):\n    {body}\n"


def by_hand(body: str) -> str:
    return f"def count_by_hand(sizes):\n    {body}\n"


def counter(body: str) -> str:
    return f"def count_parameters(model):\n    {body}\n"


GIVEN_BUGGY = """buggy_model = nn.Sequential(nn.Linear(92, 4), nn.Linear(4, 69), nn.Linear(269, 1))
print("buggy_model has", sum(p.numel() for p in buggy_model.parameters()), "parameters")
try:
    buggy_model(torch.randn(1, 92))
except RuntimeError as err:
    print("RuntimeError:", err)

"""
FIXED = "fixed_model = nn.Sequential(nn.Linear(92, 4), nn.Linear(4, 69), nn.Linear(69, 1))\n"
WIDE = "bigger_model = nn.Sequential(nn.Linear(8, 32), nn.Linear(32, 32), nn.Linear(32, 2))\n"

ANSWERS = {
    "ex1_answer": {
        "correct": {
            "named layers": "from collections import OrderedDict\n"
                            "model = nn.Sequential(OrderedDict([('hidden1', nn.Linear(4, 16)), "
                            "('hidden2', nn.Linear(16, 8)), ('output', nn.Linear(8, 3))]))",
            "appended one by one": "model = nn.Sequential()\nmodel.append(nn.Linear(4, 16))\n"
                                   "model.append(nn.Linear(16, 8))\nmodel.append(nn.Linear(8, 3))",
            "from a list": "layers = [nn.Linear(4, 16), nn.Linear(16, 8), nn.Linear(8, 3)]\nmodel = nn.Sequential(*layers)",
            "keyword sizes": "model = nn.Sequential(nn.Linear(in_features=4, out_features=16),\n"
                             "                      nn.Linear(in_features=16, out_features=8),\n"
                             "                      nn.Linear(in_features=8, out_features=3))",
        },
        "wrong": {
            "hidden sizes in the other order": ("model = nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 16), "
                                                "nn.Linear(16, 3))", "Linear(4, 16), then Linear(16, 8)"),
            "one hidden layer": ("model = nn.Sequential(nn.Linear(4, 16), nn.Linear(16, 3))",
                                 "4 -> 16 -> 8 -> 3 needs three layers"),
            "a list of layers": ("model = [nn.Linear(4, 16), nn.Linear(16, 8), nn.Linear(8, 3)]",
                                 "build it with nn.Sequential"),
            "sizes do not chain": ("model = nn.Sequential(nn.Linear(4, 16), nn.Linear(8, 16), nn.Linear(16, 3))",
                                   "each layer's in_features must equal the previous out_features"),
        },
    },
    "ex2_answer": {
        "correct": {
            "append in a loop": build("model = nn.Sequential()\n    for i in range(len(sizes) - 1):\n"
                                      "        model.append(nn.Linear(sizes[i], sizes[i + 1]))\n    return model"),
            "list then unpack": build("layers = []\n    for n_in, n_out in zip(sizes[:-1], sizes[1:]):\n"
                                      "        layers.append(nn.Linear(n_in, n_out))\n    return nn.Sequential(*layers)"),
            "named layers": build("from collections import OrderedDict\n"
                                  "    named = OrderedDict((f'layer{i}', nn.Linear(a, b)) "
                                  "for i, (a, b) in enumerate(zip(sizes, sizes[1:])))\n    return nn.Sequential(named)"),
            "add_module": build("model = nn.Sequential()\n    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):\n"
                                "        model.add_module(str(i), nn.Linear(a, b))\n    return model"),
        },
        "wrong": {
            "the list itself": (build("return [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]"),
                                "return nn.Sequential(*layers), not the list of layers itself"),
            "no unpacking": (build("return nn.Sequential([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])"),
                             "with the * that unpacks the list"),
            "last layer missing": (build("return nn.Sequential(*[nn.Linear(a, b) "
                                         "for a, b in zip(sizes[:-2], sizes[1:-1])])"),
                                   "one layer per pair of neighbouring sizes"),
            "hard-coded example": (build("return nn.Sequential(nn.Linear(10, 18), nn.Linear(18, 20), "
                                         "nn.Linear(20, 5))"),
                                   "build the layers from the `sizes` argument"),
        },
    },
    "ex3_answer": {
        "correct": {
            "sum of a generator": by_hand("return sum(b * (a + 1) for a, b in zip(sizes, sizes[1:]))"),
            "weights plus biases": by_hand("weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))\n"
                                           "    biases = sum(sizes[1:])\n    return weights + biases"),
            "NumPy": by_hand("import numpy as np\n    s = np.array(sizes)\n    return np.sum((s[:-1] + 1) * s[1:])"),
            "an index loop": by_hand("total = 0\n    for i in range(1, len(sizes)):\n"
                                     "        total += sizes[i] * sizes[i - 1] + sizes[i]\n    return total"),
        },
        "wrong": {
            "biases forgotten": (by_hand("return sum(a * b for a, b in zip(sizes, sizes[1:]))"),
                                 "N weights and 1 bias per neuron"),
            "one bias per input": (by_hand("return sum((a * b) + a for a, b in zip(sizes, sizes[1:]))"),
                                   "a layer with N inputs and M neurons has M x (N + 1) parameters"),
            "neurons counted": (by_hand("return sum(sizes)"), "add this up over every pair of neighbouring sizes"),
            "only the first layer": (by_hand("return sizes[1] * (sizes[0] + 1)"),
                                     "add this up over every pair of neighbouring sizes"),
        },
    },
    "ex4_answer": {
        "correct": {
            "NumPy sum": counter("import numpy as np\n    return np.sum([p.numel() for p in model.parameters()])"),
            "torch.numel in a loop": counter("total = 0\n    for p in model.parameters():\n"
                                             "        total += torch.numel(p)\n    return total"),
            "product of each shape": counter("import math\n    return sum(math.prod(p.shape) for p in model.parameters())"),
            "one flat vector": counter("return nn.utils.parameters_to_vector(model.parameters()).numel()"),
        },
        "wrong": {
            "counted tensors": (counter("return len(list(model.parameters()))"), "add up p.numel()"),
            "counted rows": (counter("return sum(len(p) for p in model.parameters())"),
                             "len(p) counts only the rows of a tensor"),
            "weights only": (counter("return sum(p.numel() for name, p in model.named_parameters() if 'weight' in name)"),
                             "add up p.numel() for every p in model.parameters()"),
            "indexed layers": (counter("return sum(model[i].weight.numel() + model[i].bias.numel() "
                                       "for i in range(len(model)))"),
                               "a single layer is a model too"),
        },
    },
    "ex5_answer": {
        "correct": {
            "repaired in place": GIVEN_BUGGY + "buggy_model[2] = nn.Linear(69, 1)\nfixed_model = buggy_model\n"
                                               "fixed_count = 4 * 93 + 69 * 5 + 70",
            "weights plus biases": GIVEN_BUGGY + FIXED + "fixed_count = (92 * 4 + 4 * 69 + 69 * 1) + (4 + 69 + 1)",
            "NumPy count": GIVEN_BUGGY + FIXED + "import numpy as np\n"
                                                 "fixed_count = np.sum(np.array([4, 69, 1]) * (np.array([92, 4, 69]) + 1))",
        },
        "wrong": {
            "the buggy count": (GIVEN_BUGGY + FIXED + "fixed_count = 987",
                                "the last layer now has 69 inputs, not 269"),
            "bug kept": (GIVEN_BUGGY + "fixed_model = nn.Sequential(nn.Linear(92, 4), nn.Linear(4, 69), "
                                       "nn.Linear(269, 1))\nfixed_count = 787",
                         "Linear layer 1 outputs 69 features but layer 2 expects 269"),
            "fixed the other way": (GIVEN_BUGGY + "fixed_model = nn.Sequential(nn.Linear(92, 4), nn.Linear(4, 269), "
                                                  "nn.Linear(269, 1))\nfixed_count = 4 * 93 + 269 * 5 + 270",
                                    "keep the intended sizes 92 -> 4 -> 69 -> 1"),
            "biases forgotten": (GIVEN_BUGGY + FIXED + "fixed_count = 92 * 4 + 4 * 69 + 69 * 1",
                                 "count each layer as neurons x (inputs + 1)"),
        },
    },
    "ex6_answer": {
        "correct": {
            "with ReLUs": "bigger_model = nn.Sequential(nn.Linear(8, 20), nn.ReLU(), nn.Linear(20, 20), nn.ReLU(),\n"
                          "                             nn.Linear(20, 2))\n"
                          "bigger_count = 20 * 9 + 20 * 21 + 2 * 21",
            "three hidden layers, NumPy count": "bigger_model = nn.Sequential(nn.Linear(8, 16), nn.Linear(16, 16), "
                                                "nn.Linear(16, 16), nn.Linear(16, 2))\nimport numpy as np\n"
                                                "bigger_count = np.sum([p.numel() for p in bigger_model.parameters()])",
            "wide, counted from the state dict": "bigger_model = nn.Sequential(nn.Linear(8, 64), nn.Linear(64, 64), "
                                                 "nn.Linear(64, 2))\n"
                                                 "bigger_count = sum(t.numel() for t in bigger_model.state_dict().values())",
        },
        "wrong": {
            "one hidden layer": ("bigger_model = nn.Sequential(nn.Linear(8, 64), nn.Linear(64, 2))\n"
                                 "bigger_count = 64 * 9 + 2 * 65",
                                 "it needs at least 3 (two hidden layers)"),
            "too small": ("bigger_model = nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 8), nn.Linear(8, 2))\n"
                          "bigger_count = 8 * 9 + 8 * 9 + 2 * 9", "make the hidden layers wider"),
            "biases forgotten": (WIDE + "bigger_count = 8 * 32 + 32 * 32 + 32 * 2",
                                 "count every layer's weights and biases"),
            "wrong input size": ("bigger_model = nn.Sequential(nn.Linear(10, 32), nn.Linear(32, 32), nn.Linear(32, 2))\n"
                                 "bigger_count = sum(p.numel() for p in bigger_model.parameters())",
                                 "the first layer takes 8 inputs"),
            "wrong output size": ("bigger_model = nn.Sequential(nn.Linear(8, 32), nn.Linear(32, 32), nn.Linear(32, 1))\n"
                                  "bigger_count = sum(p.numel() for p in bigger_model.parameters())",
                                  "the last layer must give 2 outputs"),
        },
    },
}
