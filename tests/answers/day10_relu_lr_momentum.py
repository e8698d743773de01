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

# The day's later exercises.
ANSWERS |= {
    "ex8_answer": {
        "correct": {
            "reuse the velocity name": (
                "def classic_momentum_step(x, velocity, gradient, lr, momentum):\n"
                "    velocity = momentum * velocity + lr * gradient\n"
                "    return x - velocity, velocity\n"
            ),
            "the step first": (
                "def classic_momentum_step(x, velocity, gradient, lr, momentum):\n"
                "    step = lr * gradient + momentum * velocity\n"
                "    new_x = x - step\n"
                "    return (new_x, step)\n"
            ),
        },
        "wrong": {
            "PyTorch's form": (
                "def classic_momentum_step(x, velocity, gradient, lr, momentum):\n"
                "    new_velocity = momentum * velocity + gradient\n"
                "    return x - lr * new_velocity, new_velocity\n",
                "In this form the velocity already holds the learning rate",
            ),
            "lr applied twice": (
                "def classic_momentum_step(x, velocity, gradient, lr, momentum):\n"
                "    new_velocity = momentum * velocity + lr * gradient\n"
                "    return x - lr * new_velocity, new_velocity\n",
                "without multiplying by lr again",
            ),
            "moves with the old velocity": (
                "def classic_momentum_step(x, velocity, gradient, lr, momentum):\n"
                "    new_x = x - velocity\n"
                "    return new_x, momentum * velocity + lr * gradient\n",
                "the velocity is the step itself",
            ),
        },
    },
    "ex9_answer": {
        "correct": {
            "powers and ** 0.5": (
                "def adam_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                "    m = beta1 * m + (1 - beta1) * grad\n"
                "    v = beta2 * v + (1 - beta2) * grad * grad\n"
                "    step = lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)) ** 0.5 + eps)\n"
                "    return param - step, m, v\n"
            ),
            "torch.lerp and addcdiv": (
                "def adam_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                "    new_m = torch.lerp(grad, m, beta1)\n"
                "    new_v = torch.lerp(grad.square(), v, beta2)\n"
                "    denominator = (new_v / (1 - beta2 ** t)).sqrt().add(eps)\n"
                "    new_param = param.addcdiv(new_m / (1 - beta1 ** t), denominator, value=-lr)\n"
                "    return new_param, new_m, new_v\n"
            ),
        },
        "wrong": {
            "no bias correction": (
                "def adam_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                "    m = beta1 * m + (1 - beta1) * grad\n"
                "    v = beta2 * v + (1 - beta2) * grad ** 2\n"
                "    return param - lr * m / (torch.sqrt(v) + eps), m, v\n",
                "without its bias correction",
            ),
            "t counted from 0": (
                "def adam_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                "    m = beta1 * m + (1 - beta1) * grad\n"
                "    v = beta2 * v + (1 - beta2) * grad ** 2\n"
                "    m_hat, v_hat = m / (1 - beta1 ** (t - 1)), v / (1 - beta2 ** (t - 1))\n"
                "    return param - lr * m_hat / (torch.sqrt(v_hat) + eps), m, v\n",
                "Adam's first step is lr long",
            ),
            "gradient not squared": (
                "def adam_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                "    m = beta1 * m + (1 - beta1) * grad\n"
                "    v = beta2 * v + (1 - beta2) * grad.abs()\n"
                "    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)\n"
                "    return param - lr * m_hat / (torch.sqrt(v_hat) + eps), m, v\n",
                "SQUARED gradient",
            ),
        },
    },
    "ex10_answer": {
        "correct": {
            "a dict of builders": (
                "def make_optimizer(model, name):\n"
                "    builders = {\n"
                "        'momentum': lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9),\n"
                "        'nesterov': lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True),\n"
                "        'rmsprop': lambda p: torch.optim.RMSprop(p, lr=0.001),\n"
                "        'adam': lambda p: torch.optim.Adam(p, lr=0.001),\n"
                "    }\n"
                "    if name not in builders:\n"
                "        raise ValueError(f'no optimizer called {name}')\n"
                "    return builders[name](model.parameters())\n"
            ),
            "match statement": (
                "def make_optimizer(model, name):\n"
                "    params = list(model.parameters())\n"
                "    match name:\n"
                "        case 'momentum' | 'nesterov':\n"
                "            return torch.optim.SGD(params, lr=1e-2, momentum=0.9, nesterov=(name == 'nesterov'))\n"
                "        case 'rmsprop':\n"
                "            return torch.optim.RMSprop(params, lr=1e-3)\n"
                "        case 'adam':\n"
                "            return torch.optim.Adam(params, lr=1e-3)\n"
                "        case _:\n"
                "            raise ValueError(name)\n"
            ),
        },
        "wrong": {
            "nesterov left out": (
                "def make_optimizer(model, name):\n"
                "    if name in ('momentum', 'nesterov'):\n"
                "        return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)\n"
                "    if name == 'rmsprop':\n"
                "        return torch.optim.RMSprop(model.parameters(), lr=1e-3)\n"
                "    if name == 'adam':\n"
                "        return torch.optim.Adam(model.parameters(), lr=1e-3)\n"
                "    raise ValueError(name)\n",
                "nesterov=True",
            ),
            "no ValueError for an unknown name": (
                "def make_optimizer(model, name):\n"
                "    if name in ('momentum', 'nesterov'):\n"
                "        return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=name == 'nesterov')\n"
                "    if name == 'rmsprop':\n"
                "        return torch.optim.RMSprop(model.parameters(), lr=1e-3)\n"
                "    if name == 'adam':\n"
                "        return torch.optim.Adam(model.parameters(), lr=1e-3)\n",
                "raise ValueError",
            ),
            "RMSprop with PyTorch's default lr": (
                "def make_optimizer(model, name):\n"
                "    if name in ('momentum', 'nesterov'):\n"
                "        return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=name == 'nesterov')\n"
                "    if name == 'rmsprop':\n"
                "        return torch.optim.RMSprop(model.parameters())\n"
                "    if name == 'adam':\n"
                "        return torch.optim.Adam(model.parameters())\n"
                "    raise ValueError(name)\n",
                "use the starting learning rate in the task's table",
            ),
        },
    },
    "ex11_answer": {
        "correct": {
            "LambdaLR with the formula": (
                "import math\n"
                "\n"
                "def make_warmup_cosine(optimizer, warmup_epochs, total_epochs):\n"
                "    def factor(epoch):\n"
                "        if epoch < warmup_epochs:\n"
                "            return (epoch + 1) / warmup_epochs\n"
                "        done = (epoch - warmup_epochs) / (total_epochs - warmup_epochs)\n"
                "        return (1 + math.cos(math.pi * done)) / 2\n"
                "    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)\n"
            ),
            "LambdaLR warm-up chained with cosine": (
                "def make_warmup_cosine(optimizer, warmup_epochs, total_epochs):\n"
                "    warm = lr_scheduler.LambdaLR(optimizer, lambda e: (e + 1) / warmup_epochs)\n"
                "    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_epochs - warmup_epochs)\n"
                "    return lr_scheduler.SequentialLR(optimizer, schedulers=[warm, cosine], milestones=[warmup_epochs])\n"
            ),
        },
        "wrong": {
            "warm-up from 0": (
                "def make_warmup_cosine(optimizer, warmup_epochs, total_epochs):\n"
                "    warm = lr_scheduler.LambdaLR(optimizer, lambda e: e / warmup_epochs)\n"
                "    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_epochs - warmup_epochs)\n"
                "    return lr_scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[warmup_epochs])\n",
                "not at 0",
            ),
            "warm-up one epoch too long": (
                "def make_warmup_cosine(optimizer, warmup_epochs, total_epochs):\n"
                "    warm = lr_scheduler.LinearLR(optimizer, start_factor=1 / warmup_epochs, total_iters=warmup_epochs)\n"
                "    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_epochs - warmup_epochs)\n"
                "    return lr_scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[warmup_epochs])\n",
                "epoch e of the warm-up uses base_lr * (e + 1) / warmup_epochs",
            ),
            "cosine over all the epochs": (
                "def make_warmup_cosine(optimizer, warmup_epochs, total_epochs):\n"
                "    warm = lr_scheduler.LinearLR(optimizer, start_factor=1 / warmup_epochs, total_iters=warmup_epochs - 1)\n"
                "    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_epochs)\n"
                "    return lr_scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[warmup_epochs])\n",
                "half a cosine from base_lr down towards 0",
            ),
        },
    },
    "ex12_answer": {
        "correct": {
            "keyword max_norm and float()": (
                "def clipped_step(model, x, y, loss_fn, optimizer, max_norm):\n"
                "    optimizer.zero_grad()\n"
                "    loss_fn(model(x), y).backward()\n"
                "    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)\n"
                "    optimizer.step()\n"
                "    return float(total)\n"
            ),
            "a list of the parameters": (
                "def clipped_step(model, x, y, loss_fn, optimizer, max_norm):\n"
                "    params = list(model.parameters())\n"
                "    optimizer.zero_grad()\n"
                "    outputs = model(x)\n"
                "    loss = loss_fn(outputs, y)\n"
                "    loss.backward()\n"
                "    norm = nn.utils.clip_grad_norm_(params, max_norm)\n"
                "    optimizer.step()\n"
                "    return norm.item()\n"
            ),
        },
        "wrong": {
            "clipped after the step": (
                "def clipped_step(model, x, y, loss_fn, optimizer, max_norm):\n"
                "    optimizer.zero_grad()\n"
                "    loss_fn(model(x), y).backward()\n"
                "    optimizer.step()\n"
                "    return nn.utils.clip_grad_norm_(model.parameters(), max_norm).item()\n",
                "BEFORE optimizer.step()",
            ),
            "clip_grad_value_": (
                "def clipped_step(model, x, y, loss_fn, optimizer, max_norm):\n"
                "    optimizer.zero_grad()\n"
                "    loss_fn(model(x), y).backward()\n"
                "    nn.utils.clip_grad_value_(model.parameters(), max_norm)\n"
                "    optimizer.step()\n"
                "    return float(max_norm)\n",
                "clip_grad_value_ caps each gradient entry",
            ),
            "returns the tensor": (
                "def clipped_step(model, x, y, loss_fn, optimizer, max_norm):\n"
                "    optimizer.zero_grad()\n"
                "    loss_fn(model(x), y).backward()\n"
                "    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n"
                "    optimizer.step()\n"
                "    return norm\n",
                "as a Python float",
            ),
        },
    },
    "ex13_answer": {
        "correct": {
            "lr as a power, min over pairs": (
                "def lr_range_test(model, batches, loss_fn, lr_start, factor):\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr_start)\n"
                "    lrs, losses = [], []\n"
                "    for i, (x, y) in enumerate(batches):\n"
                "        lr = lr_start * factor ** i\n"
                "        for group in optimizer.param_groups:\n"
                "            group['lr'] = lr\n"
                "        optimizer.zero_grad()\n"
                "        loss = loss_fn(model(x), y)\n"
                "        loss.backward()\n"
                "        optimizer.step()\n"
                "        lrs.append(float(lr))\n"
                "        losses.append(float(loss.item()))\n"
                "        if math.isnan(losses[-1]) or math.isinf(losses[-1]) or losses[-1] > 4 * min(losses):\n"
                "            break\n"
                "    return lrs, losses\n"
                "\n"
                "\n"
                "def suggest_lr(lrs, losses):\n"
                "    pairs = [(loss, lr) for lr, loss in zip(lrs, losses) if math.isfinite(loss)]\n"
                "    return min(pairs)[1] / 10\n"
            ),
            "ExponentialLR stepped per batch, numpy": (
                "import numpy as np\n"
                "\n"
                "def lr_range_test(model, batches, loss_fn, lr_start, factor):\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr_start)\n"
                "    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=factor)\n"
                "    lrs, losses, best = [], [], float('inf')\n"
                "    for x, y in batches:\n"
                "        lrs.append(optimizer.param_groups[0]['lr'])\n"
                "        optimizer.zero_grad()\n"
                "        loss = loss_fn(model(x), y)\n"
                "        loss.backward()\n"
                "        optimizer.step()\n"
                "        scheduler.step()\n"
                "        value = loss.item()\n"
                "        losses.append(value)\n"
                "        best = min(best, value)\n"
                "        if not np.isfinite(value) or value > 4 * best:\n"
                "            break\n"
                "    return lrs, losses\n"
                "\n"
                "\n"
                "def suggest_lr(lrs, losses):\n"
                "    values = np.array(losses, dtype=float)\n"
                "    values[~np.isfinite(values)] = np.inf\n"
                "    return lrs[int(values.argmin())] / 10\n"
            ),
        },
        "wrong": {
            "never stops": (
                "def lr_range_test(model, batches, loss_fn, lr_start, factor):\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr_start)\n"
                "    lr, lrs, losses = lr_start, [], []\n"
                "    for x, y in batches:\n"
                "        for group in optimizer.param_groups:\n"
                "            group['lr'] = lr\n"
                "        optimizer.zero_grad()\n"
                "        loss = loss_fn(model(x), y)\n"
                "        loss.backward()\n"
                "        optimizer.step()\n"
                "        lrs.append(lr)\n"
                "        losses.append(loss.item())\n"
                "        lr *= factor\n"
                "    return lrs, losses\n"
                "\n"
                "\n"
                "def suggest_lr(lrs, losses):\n"
                "    return lrs[losses.index(min(losses))] / 10\n",
                "stop right after recording a loss",
            ),
            "the lr never reaches the optimizer": (
                "def lr_range_test(model, batches, loss_fn, lr_start, factor):\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr_start)\n"
                "    lr, lrs, losses = lr_start, [], []\n"
                "    for x, y in batches:\n"
                "        optimizer.zero_grad()\n"
                "        loss = loss_fn(model(x), y)\n"
                "        loss.backward()\n"
                "        optimizer.step()\n"
                "        lrs.append(lr)\n"
                "        losses.append(loss.item())\n"
                "        if not math.isfinite(losses[-1]) or losses[-1] > 4 * min(losses):\n"
                "            break\n"
                "        lr *= factor\n"
                "    return lrs, losses\n"
                "\n"
                "\n"
                "def suggest_lr(lrs, losses):\n"
                "    return lrs[losses.index(min(losses))] / 10\n",
                "set the batch's lr on every param group BEFORE its step",
            ),
            "argmin picks nan": (
                "def lr_range_test(model, batches, loss_fn, lr_start, factor):\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr_start)\n"
                "    lr, lrs, losses = lr_start, [], []\n"
                "    for x, y in batches:\n"
                "        for group in optimizer.param_groups:\n"
                "            group['lr'] = lr\n"
                "        optimizer.zero_grad()\n"
                "        loss = loss_fn(model(x), y)\n"
                "        loss.backward()\n"
                "        optimizer.step()\n"
                "        lrs.append(lr)\n"
                "        losses.append(loss.item())\n"
                "        if not math.isfinite(losses[-1]) or losses[-1] > 4 * min(losses):\n"
                "            break\n"
                "        lr *= factor\n"
                "    return lrs, losses\n"
                "\n"
                "\n"
                "def suggest_lr(lrs, losses):\n"
                "    return lrs[int(torch.tensor(losses).argmin())] / 10\n",
                "skip the losses that are not finite",
            ),
            "the lr itself, not a tenth": (
                "def lr_range_test(model, batches, loss_fn, lr_start, factor):\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr_start)\n"
                "    lr, lrs, losses = lr_start, [], []\n"
                "    for x, y in batches:\n"
                "        for group in optimizer.param_groups:\n"
                "            group['lr'] = lr\n"
                "        optimizer.zero_grad()\n"
                "        loss = loss_fn(model(x), y)\n"
                "        loss.backward()\n"
                "        optimizer.step()\n"
                "        lrs.append(lr)\n"
                "        losses.append(loss.item())\n"
                "        if not math.isfinite(losses[-1]) or losses[-1] > 4 * min(losses):\n"
                "            break\n"
                "        lr *= factor\n"
                "    return lrs, losses\n"
                "\n"
                "\n"
                "def suggest_lr(lrs, losses):\n"
                "    finite = [i for i, value in enumerate(losses) if math.isfinite(value)]\n"
                "    return lrs[min(finite, key=lambda i: losses[i])]\n",
                "Return ONE TENTH",
            ),
        },
    },
}
