"""Other correct answers and classic wrong answers to the new exercises of Day 11."""

ANSWERS = {
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
