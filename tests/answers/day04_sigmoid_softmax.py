"""Alternative answers for Day 04 (sigmoid and softmax): correct ones written other ways, and classic
mistakes."""


def sigmoid(body: str) -> str:
    return f"def sigmoid_by_hand(z):\n    {body}\n"


def labels(body: str) -> str:
    return f"def predict_labels(probs, threshold=0.5):\n    {body}\n"


def logistic(body: str) -> str:
    return f"def make_logistic_regression(n_features):\n    {body}\n"


def softmax(body: str) -> str:
    return f"def softmax_by_hand(logits):\n    {body}\n"


def predict(body: str) -> str:
    return f"def predict_class(logits):\n    {body}\n"


def activation(body: str) -> str:
    return f"def output_activation(n_outputs):\n    {body}\n"


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "exp method": sigmoid("return 1.0 / (1.0 + (-z).exp())"),
            "reciprocal": sigmoid("return torch.exp(-z).add(1).reciprocal()"),
            "e^z over 1 + e^z": sigmoid("e = torch.exp(z)\n    return e / (1 + e)"),
            "torch.div": sigmoid("return torch.div(1, 1 + torch.exp(-z))"),
        },
        "wrong": {
            "sign forgotten": (sigmoid("return 1 / (1 + torch.exp(z))"), "check the minus sign inside exp"),
            "one minus sigmoid": (sigmoid("return torch.exp(-z) / (1 + torch.exp(-z))"),
                                  "check the minus sign inside exp"),
            "math.exp": (sigmoid("import math\n    return 1 / (1 + math.exp(-z))"), "Use torch.exp"),
            "averaged": (sigmoid("return (1 / (1 + torch.exp(-z))).mean()"), "do not sum or average"),
        },
    },
    "ex2_answer": {
        "correct": {
            "to int64": labels("return (probs >= threshold).to(torch.int64)"),
            "where": labels("return torch.where(probs >= threshold, 1, 0)"),
            "ge method": labels("return probs.ge(threshold).long()"),
            "subtract and sign": labels("return (probs - threshold >= 0).long()"),
        },
        "wrong": {
            "strictly greater": (labels("return (probs > threshold).long()"), "use >=, not >"),
            "booleans": (labels("return probs >= threshold"), "turn it into 1/0 with .long()"),
            "fixed 0.5": (labels("return (probs >= 0.5).long()"), "Use the `threshold` argument"),
            "rounded": (labels("return torch.round(probs)"), "turn it into 1/0 with .long()"),
        },
    },
    "ex3_answer": {
        "correct": {
            "named layers": logistic("from collections import OrderedDict\n"
                                     "    return nn.Sequential(OrderedDict(linear=nn.Linear(n_features, 1), "
                                     "sigmoid=nn.Sigmoid()))"),
            "keyword sizes": logistic("return nn.Sequential(nn.Linear(in_features=n_features, out_features=1, "
                                      "bias=True), nn.Sigmoid())"),
            "appended": logistic("model = nn.Sequential()\n    model.append(nn.Linear(n_features, 1))\n"
                                 "    model.append(nn.Sigmoid())\n    return model"),
        },
        "wrong": {
            "softmax": (logistic("return nn.Sequential(nn.Linear(n_features, 1), nn.Softmax(dim=-1))"),
                        "softmax over one output is always 1.0"),
            "no sigmoid": (logistic("return nn.Sequential(nn.Linear(n_features, 1))"),
                           "nn.Linear(n_features, 1) followed by nn.Sigmoid()"),
            "the Sigmoid class": (logistic("return nn.Sequential(nn.Linear(n_features, 1), nn.Sigmoid)"),
                                  "write nn.Linear(...) and nn.Sigmoid() with their brackets"),
            "fixed size": (logistic("return nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())"),
                           "Use the `n_features` argument"),
            "a list": (logistic("return [nn.Linear(n_features, 1), nn.Sigmoid()]"),
                       "Return the layers wrapped in nn.Sequential"),
        },
    },
    "ex4_answer": {
        "correct": {
            "stable": softmax("shifted = logits - logits.max(dim=-1, keepdim=True).values\n"
                              "    exps = torch.exp(shifted)\n    return exps / exps.sum(dim=-1, keepdim=True)"),
            "unsqueeze": softmax("exps = logits.exp()\n    return exps / exps.sum(dim=-1).unsqueeze(-1)"),
            "positional keepdim": softmax("return torch.exp(logits) / torch.sum(torch.exp(logits), -1, True)"),
            "log-sum-exp": softmax("return torch.exp(logits - torch.logsumexp(logits, dim=-1, keepdim=True))"),
        },
        "wrong": {
            "no keepdim": (softmax("exps = torch.exp(logits)\n    return exps / exps.sum(dim=-1)"),
                           "so the sums keep a dimension you can divide by"),
            "sum over everything": (softmax("exps = torch.exp(logits)\n    return exps / exps.sum()"),
                                    "not over the whole tensor"),
            "dim=0": (softmax("exps = torch.exp(logits)\n    return exps / exps.sum(dim=0, keepdim=True)"),
                      "not along dim=0"),
            "dim=1": (softmax("exps = torch.exp(logits)\n    return exps / exps.sum(dim=1, keepdim=True)"),
                      "a 1-D tensor has no dim=1"),
            "no exp": (softmax("return logits / logits.sum(dim=-1, keepdim=True)"),
                       "Take torch.exp of every logit"),
        },
    },
    "ex5_answer": {
        "correct": {
            "torch.argmax": predict("return torch.argmax(logits, dim=1)"),
            "max indices": predict("return logits.max(dim=-1).indices"),
            "max tuple": predict("_, index = torch.max(logits, dim=1)\n    return index"),
            "argmax of softmax": predict("return torch.softmax(logits, dim=-1).argmax(dim=-1)"),
        },
        "wrong": {
            "no dim": (predict("return logits.argmax()"), "Without dim, argmax returns one number"),
            "dim=0": (predict("return logits.argmax(dim=0)"), "with dim=0 it gives one per column"),
            "argmin": (predict("return logits.argmin(dim=-1)"), "the position of the LARGEST logit"),
            "max values": (predict("return logits.max(dim=-1).values"), "max gives its value"),
        },
    },
    "ex6_answer": {
        "correct": {
            "conditional expression": activation("return nn.Sigmoid() if n_outputs == 1 else nn.Softmax(dim=-1)"),
            "positional dim": activation("if n_outputs >= 2:\n        return nn.Softmax(-1)\n    return nn.Sigmoid()"),
            "a dict of layers": activation("choices = {True: nn.Sigmoid(), False: nn.Softmax(dim=-1)}\n"
                                           "    return choices[n_outputs == 1]"),
        },
        "wrong": {
            "softmax for one output": (activation("return nn.Softmax(dim=-1)"),
                                       "softmax over one output is always 1.0"),
            "no dim": (activation("return nn.Sigmoid() if n_outputs == 1 else nn.Softmax()"), "nn.Softmax(dim=-1)"),
            "dim=0": (activation("return nn.Sigmoid() if n_outputs == 1 else nn.Softmax(dim=0)"),
                      "use dim=-1, not dim=0"),
            "dim=1": (activation("return nn.Sigmoid() if n_outputs == 1 else nn.Softmax(dim=1)"),
                      "it stays right when the input has more dimensions, dim=1 does not"),
            "softmax from 3 outputs": (activation("return nn.Softmax(dim=-1) if n_outputs > 2 else nn.Sigmoid()"),
                                       "Two outputs are already 'one output per class'"),
            "a function, not a layer": (activation("return torch.sigmoid if n_outputs == 1 else nn.Softmax(dim=-1)"),
                                        "Return a layer object"),
        },
    },
}
