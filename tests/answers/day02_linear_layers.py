"""Alternative answers for Day 02 (linear layers): correct ones written other ways, and classic mistakes."""

GIVEN_X = "x_example = torch.tensor([[0.5, -1.0, 2.0]])\n\n"
GIVEN_DAYS = """days = torch.tensor([[20.0, 80.0, 10.0],
                     [30.0, 40.0, 5.0],
                     [10.0, 90.0, 30.0],
                     [25.0, 60.0, 0.0]])

"""
WEIGHT = "torch.tensor([[-0.1, 0.05, 0.1], [-0.05, 0.03, 0.0]])"
BIAS = "torch.tensor([-2.0, 0.5])"
GIVEN_SENSOR = """sensor_data = torch.randn(8, 5)
broken_layer = nn.Linear(4, 3)
try:
    broken_layer(sensor_data)
except RuntimeError as err:
    print("RuntimeError:", err)

"""


def forward(body: str) -> str:
    return f"def linear_forward(x, weight, bias):\n    {body}\n"


def shapes(shapes_body: str, count_body: str = "return in_features * out_features") -> str:
    return (f"def linear_shapes(in_features, out_features):\n    {shapes_body}\n\n\n"
            f"def n_connections(in_features, out_features):\n    {count_body}\n")


SHAPES = "return (out_features, in_features), (out_features,)"


def weather(setting: str, forecast: str = "forecast = weather_model(days)") -> str:
    return GIVEN_DAYS + "weather_model = nn.Linear(3, 2)\n" + setting + "\n" + forecast


def sensor(numbers: str, body: str = "return nn.Linear(x.shape[1], out_features)") -> str:
    return GIVEN_SENSOR + numbers + f"\n\n\ndef make_layer_for(x, out_features):\n    {body}\n"


def change(body: str) -> str:
    return f"def score_change(layer, feature, amount):\n    {body}\n"


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "keyword arguments": GIVEN_X + "my_layer = nn.Linear(in_features=3, out_features=2)\n"
                                           "my_output = my_layer(x_example)",
            "explicit bias and forward": GIVEN_X + "my_layer = nn.Linear(3, 2, bias=True)\n"
                                                   "my_output = my_layer.forward(x_example)",
            "lazy layer": GIVEN_X + "my_layer = nn.LazyLinear(2)\nmy_output = my_layer(x_example)",
        },
        "wrong": {
            "sizes swapped": (GIVEN_X + "my_layer = nn.Linear(2, 3)\nmy_output = my_layer(x_example)",
                              "Did you swap in_features and out_features?"),
            "the class itself": (GIVEN_X + "my_layer = nn.Linear\nmy_output = my_layer(3, 2)",
                                 "create a layer by calling it"),
            "output is the layer": (GIVEN_X + "my_layer = nn.Linear(3, 2)\nmy_output = my_layer",
                                    "my_output should be what the layer returns"),
            "another input": (GIVEN_X + "my_layer = nn.Linear(3, 2)\nmy_output = my_layer(torch.ones(1, 3))",
                              "pass x_example itself through my_layer"),
            "layer re-created after the output": (GIVEN_X + "my_layer = nn.Linear(3, 2)\n"
                                                            "my_output = my_layer(x_example)\n"
                                                            "my_layer = nn.Linear(3, 2)",
                                                  "if you re-created my_layer after computing my_output"),
        },
    },
    "ex2_answer": {
        "correct": {
            "matmul and t()": forward("return torch.matmul(x, weight.t()) + bias"),
            "addmm": forward("return torch.addmm(bias, x, weight.T)"),
            "broadcast and sum": forward("return (x.unsqueeze(1) * weight).sum(dim=-1) + bias"),
            "einsum": forward("return torch.einsum('ei,oi->eo', x, weight) + bias"),
        },
        "wrong": {
            "weight not transposed": (forward("return x @ weight + bias"), "multiply x by weight.T"),
            "no bias": (forward("return x @ weight.T"), "did you forget it?"),
            "weight on the left": (forward("return weight @ x.T + bias"), "(examples x in) @ (in x out) gives (examples x out)"),
            "bias subtracted": (forward("return x @ weight.T - bias"), "then add the bias"),
        },
    },
    "ex3_answer": {
        "correct": {
            "torch.Size shapes": shapes("return torch.Size([out_features, in_features]), torch.Size([out_features])"),
            "tuple() of lists": shapes("return tuple([out_features, in_features]), tuple([out_features])"),
            "NumPy count": shapes(SHAPES, "import numpy as np\n    return np.multiply(in_features, out_features)"),
            "math.prod": shapes("weight_shape = (out_features, in_features)\n    bias_shape = (out_features,)\n"
                                "    return weight_shape, bias_shape",
                                "import math\n    return math.prod((in_features, out_features))"),
        },
        "wrong": {
            "weight shape swapped": (shapes("return (in_features, out_features), (out_features,)"),
                                     "the weight has one row per output neuron"),
            "no comma in the bias shape": (shapes("return (out_features, in_features), (out_features)"),
                                           "a one-element tuple needs a comma"),
            "biases counted": (shapes(SHAPES, "return in_features * out_features + out_features"),
                               "Biases are not connections"),
            "inputs plus outputs": (shapes(SHAPES, "return in_features + out_features"),
                                    "every input connects to every output"),
            "lists instead of tuples": (shapes("return [out_features, in_features], [out_features]"),
                                        "write each shape as a tuple of ints"),
        },
    },
    "ex4_answer": {
        "correct": {
            "new Parameters": weather(f"weather_model.weight = nn.Parameter({WEIGHT})\n"
                                      f"weather_model.bias = nn.Parameter({BIAS})"),
            "assign into .data": weather(f"weather_model.weight.data = {WEIGHT}\nweather_model.bias.data = {BIAS}"),
            "slice assignment under no_grad": weather(f"with torch.no_grad():\n    weather_model.weight[:] = {WEIGHT}\n"
                                                      f"    weather_model.bias[:] = {BIAS}"),
            "load_state_dict and a matrix product": weather(
                f"weather_model.load_state_dict({{'weight': {WEIGHT}, 'bias': {BIAS}}})",
                "forecast = days @ weather_model.weight.T + weather_model.bias"),
        },
        "wrong": {
            "weight transposed": (weather("weather_model.weight = nn.Parameter(torch.tensor("
                                          "[[-0.1, -0.05], [0.05, 0.03], [0.1, 0.0]]))\n"
                                          f"weather_model.bias = nn.Parameter({BIAS})",
                                          "forecast = days @ weather_model.weight + weather_model.bias"),
                                  "one row per output and one column per input: shape (2, 3)"),
            "forecast before the weights": (GIVEN_DAYS + "weather_model = nn.Linear(3, 2)\n"
                                            "forecast = weather_model(days)\n"
                                            f"with torch.no_grad():\n    weather_model.weight.copy_({WEIGHT})\n"
                                            f"    weather_model.bias.copy_({BIAS})",
                                            "compute forecast after setting the weights"),
            "bias left out": (weather(f"with torch.no_grad():\n    weather_model.weight.copy_({WEIGHT})"),
                              "the bias holds the constant of each formula"),
            "bias in the other order": (weather(f"with torch.no_grad():\n    weather_model.weight.copy_({WEIGHT})\n"
                                                "    weather_model.bias.copy_(torch.tensor([0.5, -2.0]))"),
                                        "rain first, then cloudy"),
        },
    },
    "ex5_answer": {
        "correct": {
            "read from the objects": sensor("input_features = sensor_data.shape[1]\n"
                                            "expected_features = broken_layer.in_features",
                                            "return nn.Linear(x.size(-1), out_features)"),
            "len of a row": sensor("input_features = 5\nexpected_features = 4",
                                   "layer = nn.Linear(in_features=len(x[0]), out_features=out_features)\n"
                                   "    return layer"),
            "weight shape": sensor("input_features = int(sensor_data.size(1))\n"
                                   "expected_features = broken_layer.weight.shape[1]"),
        },
        "wrong": {
            "numbers swapped": (sensor("input_features = 4\nexpected_features = 5"),
                                "mat1 is your input, (examples x features)"),
            "the number of examples": (sensor("input_features = 8\nexpected_features = 4"),
                                       "the number after the x"),
            "rows instead of columns": (sensor("input_features = 5\nexpected_features = 4",
                                               "return nn.Linear(x.shape[0], out_features)"),
                                        "in_features must equal the number of columns of x"),
            "hard-coded sizes": (sensor("input_features = 5\nexpected_features = 4", "return nn.Linear(5, 3)"),
                                 "read the sizes from the arguments"),
            "sizes swapped": (sensor("input_features = 5\nexpected_features = 4",
                                     "return nn.Linear(out_features, x.shape[1])"),
                              "Did you swap in_features and out_features?"),
        },
    },
    "ex6_answer": {
        "correct": {
            "column times amount": change("return layer.weight[:, feature] * amount"),
            "row of the transpose": change("return amount * layer.weight.T[feature].detach()"),
            "nudge an input": change("x = torch.zeros(1, layer.in_features)\n    nudged = x.clone()\n"
                                     "    nudged[0, feature] += amount\n"
                                     "    with torch.no_grad():\n        return (layer(nudged) - layer(x))[0]"),
            "a loop over outputs": change("return torch.stack([amount * layer.weight[i, feature] "
                                          "for i in range(layer.out_features)])"),
        },
        "wrong": {
            "a row": (change("return amount * layer.weight[feature]"), "take column `feature` of the weight"),
            "amount forgotten": (change("return layer.weight[:, feature]"),
                                 "each output changes by amount x the weight"),
            "bias added": (change("return amount * layer.weight[:, feature] + layer.bias"),
                           "the bias never changes anything"),
            "a Python number": (change("return (amount * layer.weight[:, feature]).sum().item()"),
                                "return a tensor: amount times some weights"),
        },
    },
}
