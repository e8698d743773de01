"""Alternative answers for Day 01 (tensors): correct ones written other ways, and classic mistakes."""

GIVEN_TEMPERATURES = """temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])
"""
GIVEN_PQ = """p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])
"""
GIVEN_READINGS = """morning = torch.tensor([[12, 14, 11],
                        [10, 13, 12]])
evening = torch.tensor([[18, 16],
                        [19, 17],
                        [15, 14]])
"""


def numpy_to_tensor(body: str) -> str:
    return f"def numpy_to_tensor(array):\n    {body}\n"


def describe(body: str) -> str:
    return f"def describe(t):\n    {body}\n"


def totals(body: str) -> str:
    return f"def customer_totals(quantities, prices):\n    {body}\n"


def average(body: str) -> str:
    return f"def average(t):\n    {body}\n"


def change(body: str) -> str:
    return GIVEN_READINGS + f"\n\ndef temperature_change(morning, evening):\n    {body}\n"


COUNT_LOOP = """
def count_weights(sizes):
    total = 0
    for n_before, n_after in zip(sizes[:-1], sizes[1:]):
        total += n_before * n_after
    return total
"""


def neuron(body: str, count: str = COUNT_LOOP) -> str:
    return f"def neuron(inputs, weights, bias):\n    {body}\n\n{count}"


NEURON_SUM = "return (inputs * weights).sum() + bias"


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "torch.tensor of 2s": GIVEN_TEMPERATURES + "adjustment = torch.tensor([[2, 2, 2], [2, 2, 2]])\n"
                                                       "adjusted = temperatures + adjustment",
            "full_like": GIVEN_TEMPERATURES + "adjustment = torch.full_like(temperatures, 2)\n"
                                               "adjusted = torch.add(temperatures, adjustment)",
            "int ones times 2": GIVEN_TEMPERATURES + "adjustment = torch.ones(2, 3, dtype=torch.int64) * 2\n"
                                                     "adjusted = adjustment + temperatures",
            "zeros_like plus 2": GIVEN_TEMPERATURES + "adjustment = torch.zeros_like(temperatures) + 2\n"
                                                      "adjusted = temperatures.add(adjustment)",
        },
        "wrong": {
            "float ones": (GIVEN_TEMPERATURES + "adjustment = torch.ones(2, 3) * 2\nadjusted = temperatures + adjustment",
                           "torch.ones(...) * 2 and 2.0 give floats"),
            "a plain number": (GIVEN_TEMPERATURES + "adjustment = 2\nadjusted = temperatures + adjustment",
                               "adjustment must be a tensor with one 2 per reading"),
            "rows and columns swapped": (GIVEN_TEMPERATURES + "adjustment = torch.full((3, 2), 2)\n"
                                                              "adjusted = temperatures + adjustment.T",
                                         "adjustment needs one 2 per reading: 2 rows and 3 columns"),
            "added 3": (GIVEN_TEMPERATURES + "adjustment = torch.full((2, 3), 3)\nadjusted = temperatures + adjustment",
                        "`adjustment` has the right shape but wrong values"),
        },
    },
    "ex2_answer": {
        "correct": {
            "as_tensor": numpy_to_tensor("return torch.as_tensor(array)"),
            "asarray": numpy_to_tensor("return torch.asarray(array)"),
            "from_numpy in two steps": numpy_to_tensor("tensor = torch.from_numpy(array)\n    return tensor"),
        },
        "wrong": {
            "torch.tensor copies": (numpy_to_tensor("return torch.tensor(array)"),
                                    "torch.tensor(array) copies the numbers"),
            "converted to float32": (numpy_to_tensor("return torch.from_numpy(array).float()"),
                                     "keep NumPy's dtype (float64)"),
            "shares a copy": (numpy_to_tensor("return torch.from_numpy(array.copy())"), "so it holds a copy"),
            "returns the array": (numpy_to_tensor("return array"), "return a torch tensor"),
        },
    },
    "ex3_answer": {
        "correct": {
            "methods": describe("return t.dim(), t.size(), t.dtype, t.device"),
            "a list of plain values": describe("return [len(t.shape), tuple(t.shape), t.dtype, t.device]"),
            "named first": describe("ndim = t.ndim\n    shape = t.shape\n    return (ndim, shape, t.dtype, t.device)"),
        },
        "wrong": {
            "numel for ndim": (describe("return t.numel(), t.shape, t.dtype, t.device"),
                               "count dimensions with t.ndim"),
            "dtype as a string": (describe("return t.ndim, t.shape, str(t.dtype), t.device"),
                                  "return t.dtype itself, not a string"),
            "len for ndim": (describe("return len(t), t.shape, t.dtype, t.device"), "len(t) fails on a 0-D tensor"),
            "device as a string": (describe("return t.ndim, t.shape, t.dtype, 'cpu'"),
                                   "return t.device itself, not a string"),
            "a dict": (describe("return {'ndim': t.ndim, 'shape': t.shape, 'dtype': t.dtype, 'device': t.device}"),
                       "return a, b, c, d gives a tuple"),
        },
    },
    "ex4_answer": {
        "correct": {
            "torch functions": GIVEN_PQ + "elementwise = torch.mul(p, q)\nmatrix_product = torch.matmul(p, q)",
            "methods": GIVEN_PQ + "elementwise = p.mul(q)\nmatrix_product = p.mm(q)",
            "by hand": GIVEN_PQ + "elementwise = p * q\nmatrix_product = torch.stack("
                                  "[(p[i].unsqueeze(1) * q).sum(dim=0) for i in range(2)])",
        },
        "wrong": {
            "q on the left": (GIVEN_PQ + "elementwise = p * q\nmatrix_product = q @ p",
                              "q @ p is a different matrix"),
            "both element-wise": (GIVEN_PQ + "elementwise = p * q\nmatrix_product = p * q",
                                  "use p @ q: row i of p times column j of q"),
            "both matrix products": (GIVEN_PQ + "elementwise = p @ q\nmatrix_product = p @ q",
                                     "`*` multiplies position by position"),
            "transposed q": (GIVEN_PQ + "elementwise = p * q\nmatrix_product = p @ q.T",
                             "`matrix_product` has the right shape but wrong values"),
        },
    },
    "ex5_answer": {
        "correct": {
            "matmul": totals("return torch.matmul(quantities, prices)"),
            "mm": totals("return quantities.mm(prices)"),
            "broadcast and sum": totals("return (quantities * prices.T).sum(dim=1, keepdim=True)"),
        },
        "wrong": {
            "prices on the left": (totals("return prices.T @ quantities"), "check the order: quantities on the left"),
            "one number per customer without the column": (totals("return (quantities * prices.T).sum(dim=1)"),
                                                           "did you use * or add .sum()?"),
            "summed over everything": (totals("return (quantities @ prices).sum()"), "gives 2 x 1"),
            "element-wise": (totals("return quantities * prices.T"), "a matrix product (2 x 3) @ (3 x 1) gives 2 x 1"),
        },
    },
    "ex6_answer": {
        "correct": {
            "to float32": average("return t.to(torch.float32).mean()"),
            "sum over numel": average("return t.sum().float() / t.numel()"),
            "mean with a dtype": average("return torch.mean(t, dtype=torch.float32)"),
            "double then back": average("return t.double().mean().float()"),
        },
        "wrong": {
            "mean of integers": (average("return t.mean()"), "t.mean() needs floats"),
            "float64": (average("return t.double().mean()"), "convert with .float(), which gives float32"),
            "divided by len": (average("return t.float().sum() / len(t)"), "len(t) counts only the rows"),
            "divided by the first dimension": (average("return t.float().sum() / t.shape[0]"),
                                               "len(t) counts only the rows"),
            "a Python number": (average("return t.float().mean().item()"), "return a tensor (e.g. from .mean())"),
            "floor division": (average("return (t.sum() // t.numel()).float()"), "did you use // somewhere?"),
        },
    },
    "ex7_answer": {
        "correct": {
            "t()": change("return evening.t() - morning"),
            "transpose": change("return torch.sub(evening.transpose(0, 1), morning)"),
            "permute": change("return evening.permute(1, 0) - morning"),
            "minus the other way": change("return -(morning - evening.T)"),
        },
        "wrong": {
            "reshape": (change("return evening.reshape(morning.shape) - morning"),
                        "reshape keeps the numbers in their stored order"),
            "morning minus evening": (change("return morning - evening.T"), "evening minus morning, not the other way round"),
            "transposed morning": (change("return evening - morning.T"), "transpose evening, not morning"),
            "no transpose": (change("return evening - morning"), "transpose evening with .T first"),
            "floats": (change("return evening.T.float() - morning"), "do not convert to floats"),
        },
    },
    "ex8_answer": {
        "correct": {
            "matrix product and sum()": neuron(
                "return inputs @ weights + bias",
                "def count_weights(sizes):\n    return sum(a * b for a, b in zip(sizes, sizes[1:]))\n"),
            "dot and NumPy count": neuron(
                "return torch.dot(inputs, weights) + bias",
                "def count_weights(sizes):\n    import numpy as np\n"
                "    return np.sum(np.array(sizes[:-1]) * np.array(sizes[1:]))\n"),
            "torch.sum and index loop": neuron(
                "return torch.sum(inputs * weights) + torch.tensor(bias)",
                "def count_weights(sizes):\n    total = 0\n    for i in range(len(sizes) - 1):\n"
                "        total = total + sizes[i] * sizes[i + 1]\n    return total\n"),
            "tensor count": neuron(
                NEURON_SUM,
                "def count_weights(sizes):\n    s = torch.tensor(sizes)\n    return (s[:-1] * s[1:]).sum()\n"),
        },
        "wrong": {
            "no bias": (neuron("return (inputs * weights).sum()"), "then add the bias"),
            "no sum": (neuron("return inputs * weights + bias"), "add the products up with .sum()"),
            "biases counted": (neuron(NEURON_SUM, "def count_weights(sizes):\n"
                                                  "    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))\n"),
                               "Biases are not weights"),
            "neurons counted": (neuron(NEURON_SUM, "def count_weights(sizes):\n    return sum(sizes)\n"),
                                "multiply the sizes of each pair of neighbouring layers"),
            "a Python number": (neuron("return ((inputs * weights).sum() + bias).item()"),
                                "return a tensor: (inputs * weights).sum() + bias is one"),
        },
    },
}
