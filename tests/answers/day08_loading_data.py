"""Alternative answers for Day 08 (loading data): correct ones written other ways, and classic mistakes."""


def features(body: str) -> str:
    return f"def table_features(table):\n    {body}\n"


def encode(body: str) -> str:
    return f"def encode_labels(types, class_names):\n    {body}\n"


def dataset(body: str) -> str:
    return f"def make_dataset(table, class_names):\n    {body}\n"


def batches(count: str, last: str = "return n_samples - (count_batches(n_samples, batch_size) - 1) * batch_size") -> str:
    return (f"def count_batches(n_samples, batch_size):\n    {count}\n\n\n"
            f"def last_batch_size(n_samples, batch_size):\n    {last}\n")


CEIL = "return math.ceil(n_samples / batch_size)"


def loader(body: str) -> str:
    return f"def make_loader(dataset, batch_size, seed):\n    {body}\n"


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "to_numpy": features("return torch.tensor(table.iloc[:, 1:-1].to_numpy(), dtype=torch.float32)"),
            "from_numpy of float32": features("return torch.from_numpy(table.iloc[:, 1:-1].values.astype('float32'))"),
            "float() afterwards": features("selected = table.iloc[:, 1:len(table.columns) - 1]\n"
                                           "    return torch.tensor(selected.values).float()"),
            "columns by position list": features("middle = table.columns[1:-1]\n"
                                                 "    return torch.as_tensor(table[middle].to_numpy(dtype=float)).float()"),
        },
        "wrong": {
            "dropped by name": (features("return torch.tensor(table.drop(columns=['name', 'type']).values, "
                                         "dtype=torch.float32)"),
                                "not by the animal table's column names"),
            "class column kept": (features("return torch.tensor(table.iloc[:, 1:].values, dtype=torch.float32)"),
                                  "Leave out the text columns"),
            "no dtype": (features("return torch.tensor(table.iloc[:, 1:-1].values)"),
                         "Pass dtype=torch.float32"),
            "a DataFrame": (features("return table.iloc[:, 1:-1].astype('float32')"),
                            "Turn the selected columns into a tensor"),
        },
    },
    "ex2_answer": {
        "correct": {
            "list.index": encode("return torch.tensor([class_names.index(name) for name in types])"),
            "map then numpy": encode("index_of = {name: i for i, name in enumerate(class_names)}\n"
                                     "    return torch.tensor(types.map(index_of).to_numpy())"),
            "categorical codes": encode("codes = pd.Categorical(types, categories=class_names).codes\n"
                                        "    return torch.tensor(codes, dtype=torch.int64)"),
            "apply and long": encode("return torch.from_numpy(types.apply(class_names.index).to_numpy()).long()"),
        },
        "wrong": {
            "LabelEncoder": (encode("from sklearn.preprocessing import LabelEncoder\n"
                                    "    return torch.tensor(LabelEncoder().fit(class_names).transform(types))"),
                             "LabelEncoder and sorted() number them alphabetically"),
            "categorical codes as int8": (encode("return torch.tensor(pd.Categorical(types, categories=class_names).codes)"),
                                          "Class indices must be int64"),
            "floats": (encode("return torch.tensor([class_names.index(n) for n in types], dtype=torch.float32)"),
                       "Class indices must be int64"),
            "sorted names": (encode("order = sorted(class_names)\n    return torch.tensor([order.index(n) for n in types])"),
                             "Number the names in the order of the class_names argument"),
        },
    },
    "ex3_answer": {
        "correct": {
            "the earlier functions": dataset("return TensorDataset(table_features(table), "
                                             "encode_labels(table.iloc[:, -1], class_names))"),
            "by hand with list.index": dataset(
                "x = torch.tensor(table.iloc[:, 1:-1].values, dtype=torch.float32)\n"
                "    y = torch.tensor([class_names.index(c) for c in table.iloc[:, -1]])\n"
                "    return TensorDataset(x, y)"),
            "to_numpy and long": dataset(
                "x = torch.from_numpy(table.iloc[:, 1:-1].to_numpy(dtype='float32'))\n"
                "    y = torch.tensor(table.iloc[:, -1].map({c: i for i, c in enumerate(class_names)}).to_numpy()).long()\n"
                "    return TensorDataset(x, y)"),
        },
        "wrong": {
            "float labels": (dataset("x = torch.tensor(table.iloc[:, 1:-1].values, dtype=torch.float32)\n"
                                     "    y = torch.tensor([class_names.index(c) for c in table.iloc[:, -1]], "
                                     "dtype=torch.float32)\n    return TensorDataset(x, y)"),
                             "Labels are int64 class indices"),
            "labels first": (dataset("x = torch.tensor(table.iloc[:, 1:-1].values, dtype=torch.float32)\n"
                                     "    y = torch.tensor([class_names.index(c) for c in table.iloc[:, -1]])\n"
                                     "    return TensorDataset(y, x)"),
                             "Each item's features are one row"),
            "a list of pairs": (dataset("x = torch.tensor(table.iloc[:, 1:-1].values, dtype=torch.float32)\n"
                                        "    y = torch.tensor([class_names.index(c) for c in table.iloc[:, -1]])\n"
                                        "    return list(zip(x, y))"),
                                "Return TensorDataset(features, labels)"),
            "class column by name": (dataset("x = torch.tensor(table.iloc[:, 1:-1].values, dtype=torch.float32)\n"
                                             "    y = torch.tensor([class_names.index(c) for c in table['type']])\n"
                                             "    return TensorDataset(x, y)"),
                                     "the class is the last column, whatever their names"),
        },
    },
    "ex4_answer": {
        "correct": {
            "NumPy ceil": batches("import numpy as np\n    return np.ceil(n_samples / batch_size)"),
            "negative floor division": batches("return -(-n_samples // batch_size)",
                                               "return n_samples % batch_size or batch_size"),
            "add then floor": batches("return (n_samples + batch_size - 1) // batch_size",
                                      "rest = n_samples % batch_size\n    return batch_size if rest == 0 else rest"),
            "a range": batches("return len(range(0, n_samples, batch_size))",
                               "return n_samples - batch_size * (count_batches(n_samples, batch_size) - 1)"),
        },
        "wrong": {
            "floor division": (batches("return n_samples // batch_size"), "Round up"),
            "remainder for the last batch": (batches(CEIL, "return n_samples % batch_size"),
                                             "the last batch is full (not empty)"),
            "round": (batches("return round(n_samples / batch_size)"), "math.ceil, not round or int"),
            "one extra always": (batches("return n_samples // batch_size + 1"),
                                 "When batch_size divides n_samples exactly there is no extra batch"),
        },
    },
    "ex5_answer": {
        "correct": {
            "generator set up in two steps": loader("generator = torch.Generator()\n    generator.manual_seed(seed)\n"
                                                    "    return DataLoader(dataset, batch_size=batch_size, shuffle=True, "
                                                    "generator=generator)"),
            "a random sampler": loader("from torch.utils.data import RandomSampler\n"
                                       "    sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))\n"
                                       "    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)"),
            "positional arguments": loader("seeded = torch.Generator().manual_seed(seed)\n"
                                           "    return DataLoader(dataset, batch_size, True, generator=seeded)"),
        },
        "wrong": {
            "global seed": (loader("torch.manual_seed(seed)\n"
                                   "    return DataLoader(dataset, batch_size=batch_size, shuffle=True)"),
                            "Give the DataLoader its own generator"),
            "no shuffle": (loader("return DataLoader(dataset, batch_size=batch_size, "
                                  "generator=torch.Generator().manual_seed(seed))"), "Pass shuffle=True"),
            "a fixed batch size": (loader("return DataLoader(dataset, batch_size=16, shuffle=True, "
                                          "generator=torch.Generator().manual_seed(seed))"),
                                   "Pass batch_size=batch_size"),
            "a fixed seed": (loader("return DataLoader(dataset, batch_size=batch_size, shuffle=True, "
                                    "generator=torch.Generator().manual_seed(0))"),
                             "Seed the generator with the seed argument"),
        },
    },
}

# The day's later exercises.
ANSWERS |= {
    "ex6_answer": {
        "correct": {
            "fit, then transform twice, from_numpy": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder().fit(train_types)\n"
                "    return (encoder, torch.from_numpy(encoder.transform(train_types)),\n"
                "            torch.from_numpy(encoder.transform(new_types)))\n"
            ),
            "lists and .long()": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder()\n"
                "    encoder.fit(list(train_types))\n"
                "    train_labels = torch.as_tensor(encoder.transform(list(train_types))).long()\n"
                "    new_labels = torch.as_tensor(encoder.transform(list(new_types))).long()\n"
                "    return encoder, train_labels, new_labels\n"
            ),
        },
        "wrong": {
            "a fresh encoder for the new labels": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder()\n"
                "    train_labels = torch.tensor(encoder.fit_transform(train_types))\n"
                "    new_labels = torch.tensor(LabelEncoder().fit_transform(new_types))\n"
                "    return encoder, train_labels, new_labels\n",
                "encode the new labels with the encoder fitted on the training labels",
            ),
            "NumPy arrays instead of tensors": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder().fit(train_types)\n"
                "    return encoder, encoder.transform(train_types), encoder.transform(new_types)\n",
                "turn the NumPy array into a tensor",
            ),
            "a dict in order of appearance instead of an encoder": (
                "def label_encode(train_types, new_types):\n"
                "    index_of = {name: i for i, name in enumerate(train_types.unique())}\n"
                "    return (index_of, torch.tensor([index_of[n] for n in train_types]),\n"
                "            torch.tensor([index_of[n] for n in new_types]))\n",
                "return the fitted LabelEncoder itself",
            ),
        },
    },
}
