"""Alternative answers for Day 10 (ReLU, learning rate and momentum): correct ones written other ways, and
classic mistakes."""

GIVEN_INPUTS = "inputs = torch.tensor([2.0, -3.0, -2.0, 0.5])\n\n"
LAYERS = "relu_layer = nn.ReLU()\nleaky_layer = nn.LeakyReLU(negative_slope=0.05)\n"
OUTPUTS = "relu_out = relu_layer(inputs)\nleaky_out = leaky_layer(inputs)\n"


def slope(body: str) -> str:
    return f"def sigmoid_grad(x):\n    {body}\n"


def learning_range(body: str) -> str:
    return f"def learning_range(fn, threshold):\n    curve = plot_activation(fn, x_range=(-10, 10), n_points=201)\n    {body}\n"


def deep(body: str) -> str:
    return f"def deep_relu_net(n_inputs, width, depth):\n    {body}\n"


def step(body: str) -> str:
    return f"def sgd_step(x, velocity, lr, momentum):\n    {body}\n"


GRADIENT = "gradient = 4 * x**3 + 3 * x**2 - 10 * x\n    "
LR_TAIL = '\nrun = optimize_and_plot(lr=lr_global, n_steps=10)\nprint("final x:", run.final_x, "->", run.basin)\n'
MOMENTUM_TAIL = ('\nrun = optimize_and_plot(lr=0.01, momentum=momentum_escape, n_steps=20)\n'
                 'print("final x:", run.final_x, "->", run.basin)\n')

ANSWERS = {
    "ex1_answer": {
        "correct": {
            "positional slope, forward": GIVEN_INPUTS + "relu_layer = nn.ReLU(inplace=False)\n"
                                                        "leaky_layer = nn.LeakyReLU(0.05)\n"
                                                        "relu_out = relu_layer.forward(inputs)\n"
                                                        "leaky_out = leaky_layer.forward(inputs)",
            "functional outputs": GIVEN_INPUTS + LAYERS + "relu_out = torch.relu(inputs)\n"
                                                          "leaky_out = nn.functional.leaky_relu(inputs, 0.05)",
            "outputs first, then layers": GIVEN_INPUTS + "leaky_layer = nn.LeakyReLU(negative_slope=0.05)\n"
                                                         "leaky_out = leaky_layer(inputs)\n"
                                                         "relu_layer = nn.ReLU()\nrelu_out = relu_layer(inputs)",
        },
        "wrong": {
            "default slope": (GIVEN_INPUTS + "relu_layer = nn.ReLU()\nleaky_layer = nn.LeakyReLU()\n" + OUTPUTS,
                              "you kept the default slope 0.01"),
            "in place": (GIVEN_INPUTS + "relu_layer = nn.ReLU(inplace=True)\n"
                                        "leaky_layer = nn.LeakyReLU(negative_slope=0.05)\n" + OUTPUTS,
                         "the ReLU changed `inputs` itself (inplace=True)"),
            "the class": (GIVEN_INPUTS + "relu_layer = nn.ReLU\nleaky_layer = nn.LeakyReLU(negative_slope=0.05)\n"
                                         "relu_out = torch.relu(inputs)\nleaky_out = leaky_layer(inputs)",
                          "create a layer by calling it"),
            "layers not applied": (GIVEN_INPUTS + LAYERS + "relu_out = relu_layer\nleaky_out = leaky_layer",
                                   "call the layer on the tensor"),
            "negative slope sign": (GIVEN_INPUTS + "relu_layer = nn.ReLU()\nleaky_layer = nn.LeakyReLU(-0.05)\n" + OUTPUTS,
                                    "LeakyReLU multiplies negative inputs by negative_slope"),
        },
    },
    "ex2_answer": {
        "correct": {
            "formula": slope("s = torch.sigmoid(x)\n    return s * (1 - s)"),
            "autograd.grad": slope("x = x.detach().clone().requires_grad_(True)\n"
                                   "    (g,) = torch.autograd.grad(torch.sigmoid(x).sum(), x)\n    return g"),
            "s - s squared": slope("s = x.sigmoid()\n    return s - s ** 2"),
            "backward with ones": slope("copy = x.detach().clone().requires_grad_()\n    out = torch.sigmoid(copy)\n"
                                        "    out.backward(torch.ones_like(out))\n    return copy.grad"),
        },
        "wrong": {
            "sigmoid itself": (slope("return torch.sigmoid(x)"), "you returned sigmoid(x) itself"),
            "input changed": (slope("x.requires_grad_(True)\n    torch.sigmoid(x).sum().backward()\n    return x.grad"),
                              "work on a copy"),
            "mean instead of sum": (slope("x = x.detach().clone().requires_grad_(True)\n"
                                          "    torch.sigmoid(x).mean().backward()\n    return x.grad"),
                                    "the slope of sigmoid is sigmoid(x) * (1 - sigmoid(x))"),
            "plus instead of minus": (slope("s = torch.sigmoid(x)\n    return s * (1 + s)"),
                                      "the slope of sigmoid is sigmoid(x) * (1 - sigmoid(x))"),
            "one number": (slope("x = x.detach().clone().requires_grad_(True)\n"
                                 "    torch.sigmoid(x).sum().backward()\n    return x.grad.sum()"),
                           "return one slope per element of x"),
        },
    },
    "ex3_answer": {
        "correct": {
            "first and last": learning_range("keep = curve.x[curve.grad >= threshold]\n"
                                             "    return float(keep[0]), float(keep[-1])"),
            "nonzero indices": learning_range("where = torch.nonzero(curve.grad >= threshold).flatten()\n"
                                              "    return curve.x[where.min()].item(), curve.x[where.max()].item()"),
            "a list comprehension": learning_range("xs = [float(x) for x, g in zip(curve.x, curve.grad) if g >= threshold]\n"
                                                   "    return (min(xs), max(xs))"),
            "0-D tensors in a list": learning_range("keep = curve.x[curve.grad >= threshold]\n"
                                                    "    return [keep.min(), keep.max()]"),
        },
        "wrong": {
            "values instead of gradients": (learning_range("keep = curve.x[curve.y >= threshold]\n"
                                                           "    return keep.min().item(), keep.max().item()"),
                                            "Compare the gradient (curve.grad), not the values (curve.y)"),
            "the whole grid": (learning_range("return curve.x.min().item(), curve.x.max().item()"),
                               "-10 and 10 are the ends of the grid"),
            "below the threshold": (learning_range("keep = curve.x[curve.grad < threshold]\n"
                                                   "    return keep.min().item(), keep.max().item()"),
                                    "keep only the inputs where curve.grad >= threshold"),
            "one value": (learning_range("keep = curve.x[curve.grad >= threshold]\n    return keep.max().item()"),
                          "should return a pair (low, high)"),
        },
    },
    "ex4_answer": {
        "correct": {
            "a comprehension": deep("sizes = [n_inputs] + [width] * depth\n"
                                    "    layers = [m for a, b in zip(sizes, sizes[1:]) for m in (nn.Linear(a, b), nn.ReLU())]\n"
                                    "    return nn.Sequential(*layers, nn.Linear(width, 1))"),
            "append to a Sequential": deep("net = nn.Sequential(nn.Linear(n_inputs, width), nn.ReLU())\n"
                                           "    for _ in range(depth - 1):\n        net.append(nn.Linear(width, width))\n"
                                           "        net.append(nn.ReLU())\n    net.append(nn.Linear(width, 1))\n    return net"),
            "extend a list": deep("layers = [nn.Linear(n_inputs, width), nn.ReLU()]\n"
                                  "    for _ in range(1, depth):\n        layers.extend([nn.Linear(width, width), nn.ReLU()])\n"
                                  "    layers.append(nn.Linear(width, 1))\n    return nn.Sequential(*layers)"),
        },
        "wrong": {
            "one object repeated": (deep("hidden = [nn.Linear(width, width), nn.ReLU()] * (depth - 1)\n"
                                         "    return nn.Sequential(nn.Linear(n_inputs, width), nn.ReLU(), *hidden, "
                                         "nn.Linear(width, 1))"),
                                    "contains the same Linear layer object more than once"),
            "ReLU after the output": (deep("layers = []\n    for i in range(depth):\n"
                                           "        layers += [nn.Linear(n_inputs if i == 0 else width, width), nn.ReLU()]\n"
                                           "    return nn.Sequential(*layers, nn.Linear(width, 1), nn.ReLU())"),
                                      "nothing after the last Linear"),
            "sigmoid": (deep("layers = []\n    for i in range(depth):\n"
                             "        layers += [nn.Linear(n_inputs if i == 0 else width, width), nn.Sigmoid()]\n"
                             "    return nn.Sequential(*layers, nn.Linear(width, 1))"),
                        "put nn.ReLU() after every hidden Linear"),
            "one hidden layer too many": (deep("layers = [nn.Linear(n_inputs, width), nn.ReLU()]\n"
                                               "    for _ in range(depth):\n"
                                               "        layers += [nn.Linear(width, width), nn.ReLU()]\n"
                                               "    return nn.Sequential(*layers, nn.Linear(width, 1))"),
                                          "the next depth - 1 map width -> width"),
        },
    },
    "ex5_answer": {
        "correct": {
            "one line": step("v = momentum * velocity + (4 * x**3 + 3 * x**2 - 10 * x)\n    return x - lr * v, v"),
            "autograd gradient": step("t = torch.tensor(float(x), requires_grad=True)\n"
                                      "    (t**4 + t**3 - 5 * t**2).backward()\n"
                                      "    new_velocity = momentum * velocity + t.grad.item()\n"
                                      "    return x - lr * new_velocity, new_velocity"),
            "a list": step(GRADIENT + "new_velocity = velocity * momentum + gradient\n"
                                      "    return [x - new_velocity * lr, new_velocity]"),
        },
        "wrong": {
            "dampened": (step(GRADIENT + "new_velocity = momentum * velocity + (1 - momentum) * gradient\n"
                                         "    return x - lr * new_velocity, new_velocity"), "no (1 - momentum) factor"),
            "momentum ignored": (step(GRADIENT + "return x - lr * gradient, gradient"),
                                 "Keep a share of the old velocity"),
            "uphill": (step(GRADIENT + "new_velocity = momentum * velocity + gradient\n"
                                       "    return x + lr * new_velocity, new_velocity"), "you go downhill"),
            "old velocity for x": (step(GRADIENT + "new_x = x - lr * velocity\n"
                                                   "    return new_x, momentum * velocity + gradient"),
                                   "the step is lr x gradient"),
            "values in the other order": (step(GRADIENT + "new_velocity = momentum * velocity + gradient\n"
                                                          "    return new_velocity, x - lr * new_velocity"),
                                          "with momentum 0 the velocity is the gradient"),
        },
    },
    "ex6_answer": {
        "correct": {
            "0.12": "lr_global = 0.12" + LR_TAIL,
            "0.15": "lr_global = 0.15" + LR_TAIL,
            "a fraction": "lr_global = 1 / 10" + LR_TAIL,
        },
        "wrong": {
            "too small": ("lr_global = 0.05" + LR_TAIL, "its steps are too small to get over the hill"),
            "diverges": ("lr_global = 1.0" + LR_TAIL, "this lr diverges"),
            "a string": ('lr_global = "0.1"', "write a plain number"),
            "a tensor": ("lr_global = torch.tensor(0.1)", "write a plain number"),
        },
    },
    "ex7_answer": {
        "correct": {
            "0.93": "momentum_escape = 0.93" + MOMENTUM_TAIL,
            "0.99": "momentum_escape = 0.99" + MOMENTUM_TAIL,
            "0.95 as a fraction": "momentum_escape = 19 / 20" + MOMENTUM_TAIL,
        },
        "wrong": {
            "0.9 is not enough": ("momentum_escape = 0.9" + MOMENTUM_TAIL, "try a larger momentum"),
            "too little": ("momentum_escape = 0.5" + MOMENTUM_TAIL, "does not carry x over the hill"),
            "1 or more": ("momentum_escape = 1.0", "momentum must be at least 0 and below 1"),
            "a string": ('momentum_escape = "0.95"', "write a plain number"),
        },
    },
}
