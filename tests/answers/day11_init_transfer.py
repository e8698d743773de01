"""Alternative answers for Day 11 (initialization, transfer learning, fine-tuning): correct ones written other
ways, and classic mistakes."""


def bound(body: str) -> str:
    return f"def init_bound(layer):\n    {body}\n"


REFILL_NORMAL = """def refill_normal(layer, std):
    nn.init.normal_(layer.weight, mean=0.0, std=std)
    nn.init.zeros_(layer.bias)
    return layer
"""
REFILL_DEFAULT = """def refill_default(layer):
    bound = 1 / layer.in_features**0.5
    nn.init.uniform_(layer.weight, -bound, bound)
    nn.init.uniform_(layer.bias, -bound, bound)
    return layer
"""


def refill(default: str | None = None, normal: str | None = None) -> str:
    first = f"def refill_default(layer):\n    {default}\n" if default else REFILL_DEFAULT
    second = f"def refill_normal(layer, std):\n    {normal}\n" if normal else REFILL_NORMAL
    return first + "\n\n" + second


def init(body: str) -> str:
    return f"def init_weights(model, activation):\n    {body}\n"


INIT_LOOP = """for module in model.modules():
        if isinstance(module, nn.Linear):
            if activation == "relu":
                {relu}
            else:
                {other}
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model"""


def init_loop(relu: str = 'nn.init.kaiming_normal_(module.weight, nonlinearity="relu")',
              other: str = "nn.init.xavier_normal_(module.weight)") -> str:
    return init(INIT_LOOP.format(relu=relu, other=other))


def save_restore(body: str) -> str:
    return f"def save_and_restore(model, build, folder):\n    {body}\n"


def freeze(body: str) -> str:
    return f"def freeze(model, prefixes):\n    {body}\n"


GIVEN_LABELS = "big_small = (digit_small >= 5).long()\nbig_test = (digit_test >= 5).long()\n\n"
LOADED = "finetuned = make_model(10)\nfinetuned.load_state_dict(torch.load(pretrained_path))\n"
HEAD = "finetuned[4] = nn.Linear(32, 2)\n"
FREEZE = ("for name, param in finetuned.named_parameters():\n    if name.startswith('0.'):\n"
          "        param.requires_grad = False\n")
FIT = "fit(finetuned, X_small, big_small, lr=0.03, epochs=100)\n"
REPORT = 'print(f"fine-tuned test accuracy: {accuracy(finetuned, X_test, big_test):.1%}")\n'

ANSWERS = {
    "ex1_answer": {
        "correct": {
            "math.sqrt": bound("import math\n    return 1 / math.sqrt(layer.in_features)"),
            "NumPy": bound("import numpy as np\n    return 1 / np.sqrt(layer.in_features)"),
            "power of the weight's width": bound("return float(layer.weight.shape[1]) ** -0.5"),
        },
        "wrong": {
            "out_features": (bound("return 1 / layer.out_features ** 0.5"), "use in_features (the number of inputs)"),
            "no square root": (bound("return 1 / layer.in_features"), "take the square root"),
            "upside down": (bound("return layer.in_features ** 0.5"), "not sqrt(in_features)"),
            "the largest weight": (bound("return layer.weight.abs().max().item()"),
                                   "the bound is 1 / sqrt(in_features), read from layer.in_features"),
        },
    },
    "ex2_answer": {
        "correct": {
            "reset_parameters and constant_": refill("layer.reset_parameters()\n    return layer",
                                                     "nn.init.normal_(layer.weight, 0.0, std)\n"
                                                     "    nn.init.constant_(layer.bias, 0.0)\n    return layer"),
            "tensor methods under no_grad": refill("b = layer.in_features ** -0.5\n    with torch.no_grad():\n"
                                                   "        layer.weight.uniform_(-b, b)\n        layer.bias.uniform_(-b, b)\n"
                                                   "    return layer",
                                                   "with torch.no_grad():\n        layer.weight.normal_(0, std)\n"
                                                   "        layer.bias.zero_()\n    return layer"),
            "keyword bounds, a loop": refill("import math\n    b = 1 / math.sqrt(layer.in_features)\n"
                                             "    for p in (layer.weight, layer.bias):\n        nn.init.uniform_(p, a=-b, b=b)\n"
                                             "    return layer"),
        },
        "wrong": {
            "out_features bound": (refill("b = 1 / layer.out_features ** 0.5\n    nn.init.uniform_(layer.weight, -b, b)\n"
                                          "    nn.init.uniform_(layer.bias, -b, b)\n    return layer"),
                                   "in_features, not out_features"),
            "uniform for normal": (refill(None, "nn.init.uniform_(layer.weight, -std, std)\n"
                                                "    nn.init.zeros_(layer.bias)\n    return layer"),
                                   "uniform_(-std, std) has a smaller spread"),
            "bias kept": (refill(None, "nn.init.normal_(layer.weight, mean=0.0, std=std)\n    return layer"),
                          "nn.init.zeros_(layer.bias)"),
            "layer not returned": (refill("b = 1 / layer.in_features ** 0.5\n    nn.init.uniform_(layer.weight, -b, b)\n"
                                          "    nn.init.uniform_(layer.bias, -b, b)"),
                                   "should return the layer it was given"),
            "bias left out of the default": (refill("b = 1 / layer.in_features ** 0.5\n"
                                                    "    nn.init.uniform_(layer.weight, -b, b)\n    return layer"),
                                             "some of layer.bias lie outside"),
        },
    },
    "ex3_answer": {
        "correct": {
            "Xavier with the activation's gain": init_loop(
                other="nn.init.xavier_normal_(module.weight, gain=nn.init.calculate_gain(activation))"),
            "uniform versions": init_loop(relu='nn.init.kaiming_uniform_(module.weight, nonlinearity="relu")',
                                          other="nn.init.xavier_uniform_(module.weight)"),
            "loop over the layers, constant bias": init(
                "for layer in model:\n        if not isinstance(layer, nn.Linear):\n            continue\n"
                "        if activation == 'relu':\n            nn.init.kaiming_normal_(layer.weight, mode='fan_in', "
                "nonlinearity='relu')\n        else:\n            nn.init.xavier_uniform_(layer.weight, "
                "gain=nn.init.calculate_gain(activation))\n        if layer.bias is not None:\n"
                "            nn.init.constant_(layer.bias, 0.0)\n    return model"),
        },
        "wrong": {
            "Kaiming for tanh": (init_loop(other='nn.init.kaiming_normal_(module.weight, nonlinearity="relu")'),
                                 "Kaiming is for ReLU"),
            "Xavier for ReLU": (init_loop(relu="nn.init.xavier_normal_(module.weight)"), "Xavier is for tanh and sigmoid"),
            "fan_out": (init_loop(relu='nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")'),
                        "drop mode='fan_out'"),
            "bias None not skipped": (init("for module in model.modules():\n        if isinstance(module, nn.Linear):\n"
                                           "            if activation == 'relu':\n"
                                           "                nn.init.kaiming_normal_(module.weight, nonlinearity='relu')\n"
                                           "            else:\n                nn.init.xavier_normal_(module.weight)\n"
                                           "            nn.init.zeros_(module.bias)\n    return model"),
                                      "zero the bias only if layer.bias is not None"),
            "first layer only": (init("layer = model[0]\n    if activation == 'relu':\n"
                                      "        nn.init.kaiming_normal_(layer.weight, nonlinearity='relu')\n    else:\n"
                                      "        nn.init.xavier_normal_(layer.weight)\n    nn.init.zeros_(layer.bias)\n"
                                      "    return model"),
                                 "call nn.init on every nn.Linear"),
        },
    },
    "ex4_answer": {
        "correct": {
            "os.path and weights_only": save_restore("import os\n    path = os.path.join(folder, 'weights.pt')\n"
                                                     "    torch.save(model.state_dict(), path)\n    fresh = build()\n"
                                                     "    fresh.load_state_dict(torch.load(path, weights_only=True))\n"
                                                     "    return fresh"),
            "an f-string path": save_restore("torch.save(model.state_dict(), f'{folder}/weights.pt')\n"
                                             "    restored = build()\n"
                                             "    state = torch.load(f'{folder}/weights.pt')\n"
                                             "    restored.load_state_dict(state)\n    return restored"),
            "a file object": save_restore("path = Path(folder, 'weights.pt')\n"
                                          "    with open(path, 'wb') as f:\n        torch.save(model.state_dict(), f)\n"
                                          "    new_model = build()\n    with open(path, 'rb') as f:\n"
                                          "        new_model.load_state_dict(torch.load(f))\n    return new_model"),
        },
        "wrong": {
            "the whole model saved": (save_restore("path = Path(folder) / 'weights.pt'\n    torch.save(model, path)\n"
                                                   "    return build()"),
                                      "save model.state_dict(), not the model itself"),
            "the load report": (save_restore("path = Path(folder) / 'weights.pt'\n"
                                             "    torch.save(model.state_dict(), path)\n"
                                             "    return build().load_state_dict(torch.load(path))"),
                                "load_state_dict returns a report, not the model"),
            "the original returned": (save_restore("torch.save(model.state_dict(), Path(folder) / 'weights.pt')\n"
                                                   "    return model"),
                                      "returned the original model"),
            "saved in the working folder": (save_restore("torch.save(model.state_dict(), 'weights.pt')\n"
                                                         "    fresh = build()\n"
                                                         "    fresh.load_state_dict(torch.load('weights.pt'))\n"
                                                         "    return fresh"),
                                            "did not create the file weights.pt in the folder"),
            "weights not loaded": (save_restore("torch.save(model.state_dict(), Path(folder) / 'weights.pt')\n"
                                                "    return build()"),
                                   "new_model.load_state_dict(torch.load(path))"),
        },
    },
    "ex5_answer": {
        "correct": {
            "startswith a tuple": freeze("frozen = []\n    for name, param in model.named_parameters():\n"
                                         "        if name.startswith(tuple(prefixes)):\n"
                                         "            param.requires_grad_(False)\n            frozen.append(name)\n"
                                         "    return frozen"),
            "names first": freeze("names = [n for n, _ in model.named_parameters() "
                                  "if any(n.startswith(p) for p in prefixes)]\n"
                                  "    params = dict(model.named_parameters())\n    for n in names:\n"
                                  "        params[n].requires_grad = False\n    return names"),
            "split on the dot": freeze("frozen = []\n    for name, param in model.named_parameters():\n"
                                       "        if any(name == p or name.startswith(p) for p in prefixes):\n"
                                       "            param.requires_grad = False\n            frozen.append(name)\n"
                                       "    return frozen"),
        },
        "wrong": {
            "in instead of startswith": (freeze("frozen = []\n    for name, param in model.named_parameters():\n"
                                                "        if any(p in name for p in prefixes):\n"
                                                "            param.requires_grad = False\n            frozen.append(name)\n"
                                                "    return frozen"),
                                         "with name.startswith(prefix)"),
            "on the layer": (freeze("frozen = []\n    for name, param in model.named_parameters():\n"
                                    "        if any(name.startswith(p) for p in prefixes):\n"
                                    "            model[int(name.split('.')[0])].requires_grad = False\n"
                                    "            frozen.append(name)\n    return frozen"),
                             "setting it on a layer (model[0].requires_grad = False) does nothing"),
            "names not returned": (freeze("for name, param in model.named_parameters():\n"
                                          "        if any(name.startswith(p) for p in prefixes):\n"
                                          "            param.requires_grad = False"),
                                   "collect the names in a list and return it"),
            "everything frozen": (freeze("for param in model.parameters():\n        param.requires_grad = False\n"
                                         "    return [n for n, _ in model.named_parameters() "
                                         "if any(n.startswith(p) for p in prefixes)]"),
                                  "set requires_grad = False on each parameter from named_parameters()"),
        },
    },
    "ex6_answer": {
        "correct": {
            "requires_grad_ on the layer": GIVEN_LABELS + LOADED + HEAD + "finetuned[0].requires_grad_(False)\n" + FIT + REPORT,
            "frozen before the new head": GIVEN_LABELS + LOADED + "for p in finetuned[0].parameters():\n"
                                                                  "    p.requires_grad = False\n" + HEAD + FIT + REPORT,
            "the freeze function": GIVEN_LABELS + LOADED + HEAD + "freeze(finetuned, ['0.'])\n" + FIT + REPORT,
        },
        "wrong": {
            "not pretrained": (GIVEN_LABELS + "finetuned = make_model(10)\n" + HEAD + FREEZE + FIT + REPORT,
                               "does not hold the pretrained weights of layer 0"),
            "not trained": (GIVEN_LABELS + LOADED + HEAD + FREEZE + REPORT,
                            "train with fit(finetuned, X_small, big_small, lr=0.03, epochs=100)"),
            "nothing frozen": (GIVEN_LABELS + LOADED + HEAD + FIT + REPORT, "Layer 0 of finetuned is not frozen"),
            "ten answers": (GIVEN_LABELS + LOADED + "finetuned[4] = nn.Linear(32, 10)\n" + FREEZE + FIT + REPORT,
                            "replace the head with nn.Linear(32, 2)"),
            "everything frozen": (GIVEN_LABELS + LOADED + HEAD + "for name, p in finetuned.named_parameters():\n"
                                  "    if not name.startswith('4.'):\n        p.requires_grad = False\n" + FIT + REPORT,
                                  "Layers 2 and 4 of finetuned must stay trainable"),
        },
    },
}

# The day's later exercises.
ANSWERS |= {
    "ex7_answer": {
        "correct": {
            "nn.functional.relu": (
                "class TwoLayerNet(nn.Module):\n"
                "    def __init__(self, n_inputs, n_hidden, n_outputs):\n"
                "        super().__init__()\n"
                "        self.hidden = nn.Linear(n_inputs, n_hidden)\n"
                "        self.output = nn.Linear(n_hidden, n_outputs)\n"
                "\n"
                "    def forward(self, x):\n"
                "        h = nn.functional.relu(self.hidden(x))\n"
                "        return self.output(h)\n"
            ),
            "an nn.ReLU layer as an attribute": (
                "class TwoLayerNet(nn.Module):\n"
                "    def __init__(self, n_inputs, n_hidden, n_outputs):\n"
                "        super(TwoLayerNet, self).__init__()\n"
                "        self.hidden = nn.Linear(n_inputs, n_hidden)\n"
                "        self.act = nn.ReLU()\n"
                "        self.output = nn.Linear(n_hidden, n_outputs)\n"
                "\n"
                "    def forward(self, x):\n"
                "        return self.output(self.act(self.hidden(x)))\n"
            ),
        },
        "wrong": {
            "no super().__init__()": (
                "class TwoLayerNet(nn.Module):\n"
                "    def __init__(self, n_inputs, n_hidden, n_outputs):\n"
                "        self.hidden = nn.Linear(n_inputs, n_hidden)\n"
                "        self.output = nn.Linear(n_hidden, n_outputs)\n"
                "\n"
                "    def forward(self, x):\n"
                "        return self.output(torch.relu(self.hidden(x)))\n",
                "call super().__init__() first",
            ),
            "layers in a plain list": (
                "class TwoLayerNet(nn.Module):\n"
                "    def __init__(self, n_inputs, n_hidden, n_outputs):\n"
                "        super().__init__()\n"
                "        self.layers = [nn.Linear(n_inputs, n_hidden), nn.Linear(n_hidden, n_outputs)]\n"
                "\n"
                "    def forward(self, x):\n"
                "        return self.layers[1](torch.relu(self.layers[0](x)))\n",
                "store each layer as an attribute",
            ),
            "sigmoid between the layers": (
                "class TwoLayerNet(nn.Module):\n"
                "    def __init__(self, n_inputs, n_hidden, n_outputs):\n"
                "        super().__init__()\n"
                "        self.hidden = nn.Linear(n_inputs, n_hidden)\n"
                "        self.output = nn.Linear(n_hidden, n_outputs)\n"
                "\n"
                "    def forward(self, x):\n"
                "        return self.output(torch.sigmoid(self.hidden(x)))\n",
                "a ReLU between the layers",
            ),
        },
    },
    "ex8_answer": {
        "correct": {
            "model = model.to(device)": (
                "def run_on(model, x, device):\n"
                "    model = model.to(device)\n"
                "    return model(x.to(device))\n"
            ),
            "keyword device": (
                "def run_on(model, x, device):\n"
                "    model.to(device=device)\n"
                "    batch = x.to(device=device)\n"
                "    output = model(batch)\n"
                "    return output\n"
            ),
        },
        "wrong": {
            "the moved batch thrown away": (
                "def run_on(model, x, device):\n"
                "    model.to(device)\n"
                "    x.to(device)\n"
                "    return model(x)\n",
                "returns a NEW tensor",
            ),
            "the model left behind": (
                "def run_on(model, x, device):\n"
                "    return model(x.to(device))\n",
                "move the model with model.to(device)",
            ),
            "the output brought back to the CPU": (
                "def run_on(model, x, device):\n"
                "    model.to(device)\n"
                "    return model(x.to(device)).cpu()\n",
                "no .cpu()",
            ),
        },
    },
    "ex9_answer": {
        "correct": {
            "torch.as_tensor and torch.is_tensor": (
                "def make_tensor(data):\n"
                "    return torch.as_tensor(data)\n"
                "\n"
                "\n"
                "def is_tensor(value):\n"
                "    return torch.is_tensor(value)\n"
            ),
            "bool(isinstance(...))": (
                "def make_tensor(data):\n"
                "    result = torch.tensor(data)\n"
                "    return result\n"
                "\n"
                "\n"
                "def is_tensor(value):\n"
                "    if isinstance(value, torch.Tensor):\n"
                "        return True\n"
                "    return False\n"
            ),
        },
        "wrong": {
            "torch.Tensor(data)": (
                "def make_tensor(data):\n"
                "    return torch.Tensor(data)\n"
                "\n"
                "\n"
                "def is_tensor(value):\n"
                "    return isinstance(value, torch.Tensor)\n",
                "torch.Tensor(3) makes a tensor of SHAPE (3,)",
            ),
            "isinstance with the function torch.tensor": (
                "def make_tensor(data):\n"
                "    return torch.tensor(data)\n"
                "\n"
                "\n"
                "def is_tensor(value):\n"
                "    return isinstance(value, torch.tensor)\n",
                "torch.tensor is a function",
            ),
        },
    },
}
